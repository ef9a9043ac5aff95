using Countersign.Audit;

namespace Countersign.Evidence;

/// <summary>
/// Evidence of what the gate observed over a time range, read from the audit log, for record-keeping obligations such as
/// Article 12 of the EU AI Act. It is evidence for the actions Countersign observed, not a claim of compliance.
/// Build one with <see cref="EvidenceReportBuilder"/>; write it with <see cref="ToJson"/> or <see cref="ToMarkdown"/>.
/// </summary>
public sealed record EvidenceReport
{
    /// <summary>The statement every report carries.</summary>
    public const string EvidenceStatement =
        "This report is evidence of the actions Countersign observed and recorded in its audit log over the stated period. It is not a claim of compliance with any law or standard; actions that did not pass through Countersign are not in it.";

    /// <summary>Gets the statement that the report is evidence, not a claim of compliance.</summary>
    public string Statement { get; init; } = EvidenceStatement;

    /// <summary>Gets the start of the range (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets when the report was made.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets how many audit entries fall in the range.</summary>
    public required long Entries { get; init; }

    /// <summary>Gets the entries in the range by event (<c>authorized</c>, <c>outcome</c>, <c>reviewed</c>, ...).</summary>
    public required IReadOnlyDictionary<string, long> ByEvent { get; init; }

    /// <summary>Gets the calls that ended in the range by the policy's verdict (<c>allow</c>, <c>deny</c>, <c>require_approval</c>, <c>none</c> when a stage before the policy stopped it).</summary>
    public required IReadOnlyDictionary<string, long> ByVerdict { get; init; }

    /// <summary>Gets the calls that ended in the range by tool.</summary>
    public required IReadOnlyDictionary<string, long> ByTool { get; init; }

    /// <summary>Gets the calls that ended in the range by agent (<c>-</c> for calls naming none).</summary>
    public required IReadOnlyDictionary<string, long> ByAgent { get; init; }

    /// <summary>Gets every approval requested in the range, with its reviews and how long the decision took.</summary>
    public required IReadOnlyList<EvidenceApproval> Approvals { get; init; }

    /// <summary>Gets every call denied in the range, with its reasons.</summary>
    public required IReadOnlyList<EvidenceDenial> Denials { get; init; }

    /// <summary>Gets every halt and resume in the range.</summary>
    public required IReadOnlyList<EvidenceHalt> Halts { get; init; }

    /// <summary>Gets budget overruns and calls denied for a budget in the range.</summary>
    public required IReadOnlyList<EvidenceDenial> BudgetOverruns { get; init; }

    /// <summary>Gets the tool contracts' post-conditions that failed in the range.</summary>
    public required IReadOnlyList<EvidenceDenial> ContractViolations { get; init; }

    /// <summary>Gets the result of verifying the whole chain (every key the ring holds, across rotations).</summary>
    public required AuditVerificationResult Chain { get; init; }

    /// <summary>Gets how many calls ran in the range.</summary>
    public required long CallsRun { get; init; }

    /// <summary>Gets how many of them had a verdict recorded (an <c>authorized</c> entry) before they ran.</summary>
    public required long CallsRunWithVerdictFirst { get; init; }

    /// <summary>Gets the share of calls run that had a verdict recorded first, in percent; it must be 100.</summary>
    public double VerdictBeforeRunPercent => CallsRun == 0 ? 100 : 100.0 * CallsRunWithVerdictFirst / CallsRun;

    /// <summary>Gets the calls that ran without a verdict recorded first (action ids); empty when the gate kept its promise.</summary>
    public required IReadOnlyList<string> CallsRunWithoutVerdict { get; init; }

    /// <summary>Writes the report as indented JSON with snake_case names.</summary>
    /// <returns>The JSON.</returns>
    public string ToJson() => EvidenceReportWriter.Json(this);

    /// <summary>Writes the report as Markdown, text from agents and reviewers neutralised.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown() => EvidenceReportWriter.Markdown(this);
}
