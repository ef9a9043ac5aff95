using Countersign.Audit;
using Countersign.Server.Ui;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Server.Browser.Tests.Ui;

public sealed class DashboardStatisticsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryAuditLog _audit = new();
    private readonly DashboardStatistics _statistics;

    public DashboardStatisticsTests() => _statistics = new DashboardStatistics(_audit, _clock);

    [Fact]
    public async Task Calls_are_counted_per_minute_by_how_the_gate_dealt_with_them()
    {
        await AppendAsync(
            Authorized("a", Start, "allow"),
            Authorized("b", Start.AddSeconds(10), "allow"),
            Requested("c", Start.AddSeconds(20), "ap-1"),
            Authorized("c", Start.AddSeconds(30), "approved"),
            Denied("d", Start.AddMinutes(1)));
        _clock.SetUtcNow(Start.AddMinutes(1).AddSeconds(30));

        var snapshot = await _statistics.ReadAsync(CancellationToken.None);

        Assert.Equal(DashboardStatistics.Minutes, snapshot.PerMinute.Count);
        Assert.Equal([2L, 1, 0, 1, 0], snapshot.PerMinute[^2].Counts);
        Assert.Equal([0L, 0, 1, 0, 0], snapshot.PerMinute[^1].Counts);
    }

    [Fact]
    public async Task Latency_percentiles_run_from_the_request_to_the_decision_or_expiry()
    {
        var entries = new List<AuditEntry>();
        for (var i = 1; i <= 20; i++)
        {
            entries.Add(Requested("t", Start, "ap-" + i));
            entries.Add(Reviewed("ap-" + i, Start.AddSeconds(i), i % 2 == 0 ? "granted" : "denied"));
        }

        entries.Add(Requested("t", Start, "ap-expired"));
        entries.Add(new AuditEntry { Timestamp = Start.AddSeconds(100), Kind = AuditEventKind.ApprovalExpired, ActionId = "x", ToolName = "t", ApprovalId = "ap-expired" });
        await AppendAsync([.. entries]);

        var snapshot = await _statistics.ReadAsync(CancellationToken.None);

        Assert.Equal(21, snapshot.LatencySamples);
        Assert.Equal(TimeSpan.FromSeconds(11), snapshot.LatencyP50);
        Assert.Equal(TimeSpan.FromSeconds(20), snapshot.LatencyP95);
    }

    [Fact]
    public async Task The_would_block_rate_is_kept_per_mode_and_enforce_mode_is_left_out()
    {
        await AppendAsync(
            Authorized("a", Start, "shadow_mode", mode: "shadow", wouldBlock: true),
            Authorized("a", Start, "allow", mode: "shadow"),
            Authorized("a", Start, "allow", mode: "shadow"),
            Authorized("a", Start, "allow", mode: "shadow"),
            Denied("a", Start, mode: "sample"),
            Authorized("a", Start, "allow", mode: "sample"),
            Authorized("a", Start, "allow", mode: "enforce"));

        var snapshot = await _statistics.ReadAsync(CancellationToken.None);

        Assert.Equal((4L, 1L), snapshot.WouldBlock["shadow"]);
        Assert.Equal((2L, 1L), snapshot.WouldBlock["sample"]);
        Assert.False(snapshot.WouldBlock.ContainsKey("enforce"));
    }

    [Fact]
    public async Task The_busiest_tools_and_rules_come_first_and_later_entries_are_added_to_earlier_counts()
    {
        await AppendAsync(
            Authorized("refund", Start, "allow", reasons: ["amount 5 is not over 100 (rule 'small-refunds')"]),
            Authorized("refund", Start, "approved", reasons: ["amount 500 is over 100 (rule 'big-refunds')"]),
            Denied("drop_table", Start, reasons: ["rule 'no-drops' denies calls to 'drop_table'"]));
        await _statistics.ReadAsync(CancellationToken.None);
        await AppendAsync(Authorized("refund", Start, "approved", reasons: ["amount 900 is over 100 (rule 'big-refunds')"]));

        var snapshot = await _statistics.ReadAsync(CancellationToken.None);

        Assert.Equal([new("refund", 3), new("drop_table", 1)], snapshot.BusiestTools);
        Assert.Equal([new("big-refunds", 2), new("no-drops", 1), new("small-refunds", 1)], snapshot.BusiestRules);
    }

    public void Dispose() => _statistics.Dispose();

    private ValueTask AppendAsync(params AuditEntry[] entries) => _audit.AppendAsync(entries);

    private static AuditEntry Authorized(string tool, DateTimeOffset at, string path, string mode = "enforce", bool wouldBlock = false, string[]? reasons = null) => new()
    {
        Timestamp = at,
        Kind = AuditEventKind.Authorized,
        ActionId = Guid.NewGuid().ToString("N"),
        ToolName = tool,
        ExecutionPath = path,
        Mode = mode,
        WouldBlock = wouldBlock ? true : null,
        Reasons = reasons ?? [],
    };

    private static AuditEntry Denied(string tool, DateTimeOffset at, string mode = "enforce", string[]? reasons = null) => new()
    {
        Timestamp = at,
        Kind = AuditEventKind.Outcome,
        ActionId = Guid.NewGuid().ToString("N"),
        ToolName = tool,
        Executed = false,
        Mode = mode,
        Reasons = reasons ?? [],
    };

    private static AuditEntry Requested(string tool, DateTimeOffset at, string approvalId) => new()
    {
        Timestamp = at,
        Kind = AuditEventKind.ApprovalRequested,
        ActionId = Guid.NewGuid().ToString("N"),
        ToolName = tool,
        ApprovalId = approvalId,
    };

    private static AuditEntry Reviewed(string approvalId, DateTimeOffset at, string verdict) => new()
    {
        Timestamp = at,
        Kind = AuditEventKind.Reviewed,
        ActionId = "x",
        ToolName = "t",
        ApprovalId = approvalId,
        Verdict = verdict,
    };
}
