using Countersign.Audit;

namespace Countersign.Evidence;

/// <summary>
/// Builds an <see cref="EvidenceReport"/> from an audit log in one pass over its records, then verifies the whole chain.
/// The CLI and the server call it; so can you.
/// </summary>
/// <example>
/// <code>
/// var report = await EvidenceReportBuilder.BuildAsync(gate.AuditLog, from, to);
/// File.WriteAllText("evidence.md", report.ToMarkdown());
/// </code>
/// </example>
public static class EvidenceReportBuilder
{
    // A call's authorized entry comes just before it runs; one that ran longer than this before the range is not looked for.
    private static readonly TimeSpan AuthorizationLookback = TimeSpan.FromDays(1);

    /// <summary>Reads the audit log and builds the report for <c>[from, to)</c>.</summary>
    /// <param name="auditLog">The audit log.</param>
    /// <param name="from">The start of the range, inclusive.</param>
    /// <param name="to">The end of the range, exclusive.</param>
    /// <param name="timeProvider">The clock for <see cref="EvidenceReport.GeneratedAt"/> (default: the system clock).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public static async Task<EvidenceReport> BuildAsync(IAuditLog auditLog, DateTimeOffset from, DateTimeOffset to, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditLog);
        if (to <= from)
        {
            throw new ArgumentException($"The range must end after it starts ({from:O} to {to:O}).", nameof(to));
        }

        var tally = new Tally(from, to);
        await foreach (var record in auditLog.ReadAsync(0, cancellationToken).ConfigureAwait(false))
        {
            tally.Add(record.Entry);
        }

        var chain = await auditLog.VerifyAsync(cancellationToken).ConfigureAwait(false);
        return tally.ToReport(chain, (timeProvider ?? TimeProvider.System).GetUtcNow());
    }

    private sealed class Tally(DateTimeOffset from, DateTimeOffset to)
    {
        private readonly Dictionary<string, long> _byEvent = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byVerdict = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byTool = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byAgent = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ApprovalTally> _approvals = new(StringComparer.Ordinal);
        private readonly List<EvidenceDenial> _denials = [];
        private readonly List<EvidenceHalt> _halts = [];
        private readonly List<EvidenceDenial> _overruns = [];
        private readonly List<EvidenceDenial> _violations = [];
        private readonly HashSet<string> _authorized = new(StringComparer.Ordinal);
        private readonly List<string> _withoutVerdict = [];
        private long _entries;
        private long _run;

        public void Add(AuditEntry entry)
        {
            if (entry.Timestamp >= to)
            {
                return;
            }

            if (entry.Kind == AuditEventKind.Authorized && entry.Timestamp >= from - AuthorizationLookback)
            {
                _authorized.Add(entry.ActionId);
            }

            if (entry.Timestamp < from)
            {
                return;
            }

            _entries++;
            Increment(_byEvent, AuditEntryJson.KindName(entry.Kind));
            switch (entry.Kind)
            {
                case AuditEventKind.Outcome:
                    AddOutcome(entry);
                    break;
                case AuditEventKind.ApprovalRequested when entry.ApprovalId is { } id:
                    _approvals[id] = new ApprovalTally(entry);
                    break;
                case AuditEventKind.Reviewed when entry.ApprovalId is { } id && _approvals.TryGetValue(id, out var approval):
                    approval.Reviews.Add(new EvidenceReview(entry.Actor, entry.ActorRoles, entry.Approved, entry.Comment, entry.DecisionSource, entry.Timestamp));
                    if (entry.Verdict is "granted" or "denied")
                    {
                        approval.Decide(entry.Verdict, entry.Timestamp);
                    }

                    break;
                case AuditEventKind.ApprovalExpired when entry.ApprovalId is { } id && _approvals.TryGetValue(id, out var expired):
                    expired.Decide("expired", entry.Timestamp);
                    break;
                case AuditEventKind.AgentHalted or AuditEventKind.AgentResumed:
                    _halts.Add(new EvidenceHalt(AuditEntryJson.KindName(entry.Kind), entry.AgentId, entry.Actor, entry.Reasons, entry.Timestamp));
                    break;
                case AuditEventKind.BudgetOverrun:
                    _overruns.Add(Denial(entry, "budget_overrun"));
                    break;
                case AuditEventKind.ContractViolated:
                    _violations.Add(Denial(entry, "contract_violated"));
                    break;
            }
        }

        public EvidenceReport ToReport(AuditVerificationResult chain, DateTimeOffset now) => new()
        {
            From = from,
            To = to,
            GeneratedAt = now,
            Entries = _entries,
            ByEvent = Sorted(_byEvent),
            ByVerdict = Sorted(_byVerdict),
            ByTool = Sorted(_byTool),
            ByAgent = Sorted(_byAgent),
            Approvals = [.. _approvals.Values.Select(a => a.ToEvidence())],
            Denials = _denials,
            Halts = _halts,
            BudgetOverruns = _overruns,
            ContractViolations = _violations,
            Chain = chain,
            CallsRun = _run,
            CallsRunWithVerdictFirst = _run - _withoutVerdict.Count,
            CallsRunWithoutVerdict = _withoutVerdict,
        };

        private void AddOutcome(AuditEntry entry)
        {
            Increment(_byVerdict, entry.Verdict ?? "none");
            Increment(_byTool, entry.ToolName);
            Increment(_byAgent, entry.AgentId ?? "-");
            if (entry.Executed == true)
            {
                _run++;
                if (!_authorized.Contains(entry.ActionId))
                {
                    _withoutVerdict.Add(entry.ActionId);
                }
            }
            else if (entry.DenialCode is { } code)
            {
                var denial = Denial(entry, code);
                _denials.Add(denial);
                if (code == "budget_exceeded")
                {
                    _overruns.Add(denial);
                }
            }
        }

        private static EvidenceDenial Denial(AuditEntry entry, string code) => new(entry.ActionId, entry.ToolName, entry.AgentId, entry.Timestamp, code, entry.Reasons);

        private static void Increment(Dictionary<string, long> counts, string key) =>
            counts[key] = counts.TryGetValue(key, out var count) ? count + 1 : 1;

        private static SortedDictionary<string, long> Sorted(Dictionary<string, long> counts) => new(counts, StringComparer.Ordinal);
    }

    private sealed class ApprovalTally(AuditEntry requested)
    {
        private string _outcome = "pending";
        private DateTimeOffset? _decidedAt;

        public List<EvidenceReview> Reviews { get; } = [];

        public void Decide(string outcome, DateTimeOffset at)
        {
            _outcome = outcome;
            _decidedAt = at;
        }

        public EvidenceApproval ToEvidence() =>
            new(requested.ApprovalId!, requested.ActionId, requested.ToolName, requested.AgentId, requested.RequestedBy, requested.Timestamp, _outcome, _decidedAt, Reviews);
    }
}
