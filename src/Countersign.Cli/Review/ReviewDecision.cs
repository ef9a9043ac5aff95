using Countersign.Approvals;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Review;

/// <summary>Records one reviewer's decision through <see cref="ReviewRecorder"/>, and says what it did in words.</summary>
internal static class ReviewDecision
{
    public const string Source = "cli";

    public static async Task<ReviewResult> RecordAsync(ICountersignStore store, TimeProvider clock, string approvalId, bool approve, string reviewer, string? comment, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var recorder = new ReviewRecorder(store.Approvals, store.AuditLog, clock);
        return approve
            ? await recorder.ApproveAsync(approvalId, reviewer, Source, comment, roles, cancellationToken)
            : await recorder.DenyAsync(approvalId, reviewer, Source, comment, roles, cancellationToken);
    }

    /// <summary>What the result means, in one line.</summary>
    public static string Describe(ReviewResult result, string approvalId) => result.Kind switch
    {
        ReviewResultKind.Recorded => result.Request switch
        {
            { Status: ApprovalStatus.Granted } => $"approved {approvalId}: granted, the agent may run it once.",
            { Status: ApprovalStatus.Denied } => $"denied {approvalId}: the agent is told, with your comment.",
            { } pending => $"approval recorded on {approvalId}: {pending.Decisions.Count(d => d.Approved)} of {pending.Quorum} approvals so far.",
            null => $"decision recorded on {approvalId}.",
        },
        ReviewResultKind.NotFound => $"no approval request '{approvalId}'.",
        ReviewResultKind.AlreadyResolved => $"{approvalId} was already decided ({result.Request?.Status.ToString().ToLowerInvariant() ?? "resolved"}).",
        ReviewResultKind.SelfApproval => $"you cannot review {approvalId}: you requested it (no self-approval).",
        ReviewResultKind.DuplicateReviewer => $"you already decided on {approvalId}; a quorum needs other reviewers.",
        ReviewResultKind.RoleNotAllowed => $"{approvalId} needs a reviewer holding one of: {string.Join(", ", result.Request?.ReviewerRoles ?? [])} (pass --role).",
        ReviewResultKind.Expired => $"{approvalId} expired before your decision arrived; timeout means deny.",
        _ => $"{approvalId}: {result.Kind}.",
    };

    public static int ExitCodeOf(ReviewResult result) => result.Kind switch
    {
        ReviewResultKind.Recorded => ExitCodes.Success,
        ReviewResultKind.NotFound => ExitCodes.NotFound,
        _ => ExitCodes.CheckFailed,
    };
}
