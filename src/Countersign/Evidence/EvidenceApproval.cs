namespace Countersign.Evidence;

/// <summary>An approval in an evidence report: who asked, who decided, with which roles and comments, and how fast.</summary>
/// <param name="ApprovalId">The approval.</param>
/// <param name="ActionId">The call it held.</param>
/// <param name="Tool">The tool.</param>
/// <param name="AgentId">The agent, if any.</param>
/// <param name="RequestedBy">Who the call was made for.</param>
/// <param name="RequestedAt">When it was requested.</param>
/// <param name="Outcome"><c>granted</c>, <c>denied</c>, <c>expired</c> or <c>pending</c> (no decision recorded by the end of the range).</param>
/// <param name="DecidedAt">When it was decided, if it was.</param>
/// <param name="Reviews">Every vote recorded on it in the range.</param>
public sealed record EvidenceApproval(
    string ApprovalId,
    string ActionId,
    string Tool,
    string? AgentId,
    string? RequestedBy,
    DateTimeOffset RequestedAt,
    string Outcome,
    DateTimeOffset? DecidedAt,
    IReadOnlyList<EvidenceReview> Reviews)
{
    /// <summary>Gets how long the decision took, when there was one.</summary>
    public TimeSpan? Latency => DecidedAt - RequestedAt;
}
