using System.Text.RegularExpressions;
using Countersign.Audit;

namespace Countersign.Server.Ui;

/// <summary>
/// The dashboard's figures, kept up to date from the audit log: each read takes only the entries appended since the
/// last one, so the log is scanned once per process, and memory stays bounded (per-minute counts for the last hour, the
/// latest 10,000 approval latencies, at most 10,000 distinct tools and rules).
/// </summary>
internal sealed partial class DashboardStatistics(IAuditLog audit, TimeProvider clock) : IDisposable
{
    public const int Minutes = 30;
    private const int KeptMinutes = 60;
    private const int MaxLatencies = 10_000;
    private const int MaxNames = 10_000;
    private const int MaxOpenApprovals = 100_000;
    private const string Other = "(other)";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<long, long[]> _perMinute = [];
    private readonly Dictionary<string, long> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Calls, long WouldBlock)> _modes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);
    private readonly Queue<double> _latencies = new();
    private long _lastSequence;

    public async Task<DashboardSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var record in audit.ReadAsync(_lastSequence, cancellationToken).ConfigureAwait(false))
            {
                Add(record.Entry);
                _lastSequence = record.Sequence;
            }

            return Snapshot(clock.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private void Add(AuditEntry entry)
    {
        var category = Categorise(entry);
        if (category is { } counted)
        {
            var minute = entry.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
            if (!_perMinute.TryGetValue(minute, out var counts))
            {
                _perMinute[minute] = counts = new long[DashboardSnapshot.Categories.Count];
                _perMinute.Keys.Where(m => m < minute - KeptMinutes).ToList().ForEach(m => _perMinute.Remove(m));
            }

            counts[(int)counted]++;
        }

        var isDecision = category is DecisionCategory.Allowed or DecisionCategory.Approved or DecisionCategory.Denied or DecisionCategory.Shadow;
        if (isDecision)
        {
            Count(_tools, entry.ToolName);
            foreach (var rule in entry.Reasons.SelectMany(static r => RuleName().Matches(r)).Select(static m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
            {
                Count(_rules, rule);
            }

            if (entry.Mode is "shadow" or "sample")
            {
                var (calls, wouldBlock) = _modes.GetValueOrDefault(entry.Mode);
                var blocked = entry.WouldBlock == true || category == DecisionCategory.Denied;
                _modes[entry.Mode] = (calls + 1, wouldBlock + (blocked ? 1 : 0));
            }
        }

        TrackLatency(entry);
    }

    private void TrackLatency(AuditEntry entry)
    {
        if (entry.ApprovalId is not { } id)
        {
            return;
        }

        switch (entry.Kind)
        {
            case AuditEventKind.ApprovalRequested when _open.Count < MaxOpenApprovals:
                _open.TryAdd(id, entry.Timestamp);
                break;
            case AuditEventKind.Reviewed when entry.Verdict is "granted" or "denied":
            case AuditEventKind.ApprovalExpired:
                if (_open.Remove(id, out var requested))
                {
                    if (_latencies.Count == MaxLatencies)
                    {
                        _latencies.Dequeue();
                    }

                    _latencies.Enqueue(Math.Max(0, (entry.Timestamp - requested).TotalSeconds));
                }

                break;
        }
    }

    private static DecisionCategory? Categorise(AuditEntry entry) => entry.Kind switch
    {
        AuditEventKind.ApprovalRequested => DecisionCategory.Held,
        AuditEventKind.Authorized => entry.ExecutionPath switch
        {
            "allow" => DecisionCategory.Allowed,
            "approved" => DecisionCategory.Approved,
            _ => DecisionCategory.Shadow,
        },
        AuditEventKind.Outcome when entry.Executed == false => DecisionCategory.Denied,
        _ => null,
    };

    private static void Count(Dictionary<string, long> counts, string name)
    {
        var key = counts.ContainsKey(name) || counts.Count < MaxNames ? name : Other;
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    private DashboardSnapshot Snapshot(DateTimeOffset now)
    {
        var thisMinute = now.UtcTicks / TimeSpan.TicksPerMinute;
        var series = new List<MinuteCounts>(Minutes);
        for (var minute = thisMinute - Minutes + 1; minute <= thisMinute; minute++)
        {
            var counts = _perMinute.TryGetValue(minute, out var found) ? (long[])found.Clone() : new long[DashboardSnapshot.Categories.Count];
            series.Add(new MinuteCounts(new DateTimeOffset(minute * TimeSpan.TicksPerMinute, TimeSpan.Zero), counts));
        }

        var sorted = _latencies.Order().ToArray();
        return new DashboardSnapshot
        {
            PerMinute = series,
            LatencyP50 = Percentile(sorted, 0.50),
            LatencyP95 = Percentile(sorted, 0.95),
            LatencySamples = sorted.Length,
            WouldBlock = _modes.ToDictionary(static p => p.Key, static p => p.Value),
            BusiestTools = Top(_tools),
            BusiestRules = Top(_rules),
        };
    }

    private static IReadOnlyList<KeyValuePair<string, long>> Top(Dictionary<string, long> counts) =>
        [.. counts.OrderByDescending(static p => p.Value).ThenBy(static p => p.Key, StringComparer.Ordinal).Take(8)];

    // Nearest rank: the smallest sample with at least the fraction of samples at or below it.
    private static TimeSpan? Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? null : TimeSpan.FromSeconds(sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)]);

    [GeneratedRegex("rule '([^']{1,100})'", RegexOptions.CultureInvariant)]
    private static partial Regex RuleName();
}

/// <summary>How the gate dealt with a call, as the dashboard counts it.</summary>
internal enum DecisionCategory
{
    Allowed = 0,
    Approved = 1,
    Denied = 2,
    Held = 3,
    Shadow = 4,
}

/// <summary>One minute's counts, by <see cref="DecisionCategory"/>.</summary>
internal sealed record MinuteCounts(DateTimeOffset Minute, long[] Counts);

/// <summary>The dashboard's figures at one moment.</summary>
internal sealed record DashboardSnapshot
{
    public static IReadOnlyList<string> Categories { get; } = ["allowed", "approved", "denied", "held for review", "released unenforced"];

    public required IReadOnlyList<MinuteCounts> PerMinute { get; init; }

    public required TimeSpan? LatencyP50 { get; init; }

    public required TimeSpan? LatencyP95 { get; init; }

    public required int LatencySamples { get; init; }

    public required IReadOnlyDictionary<string, (long Calls, long WouldBlock)> WouldBlock { get; init; }

    public required IReadOnlyList<KeyValuePair<string, long>> BusiestTools { get; init; }

    public required IReadOnlyList<KeyValuePair<string, long>> BusiestRules { get; init; }
}
