namespace Countersign.Approvals;

/// <summary>The result of offering a review to an <see cref="IApprovalStore"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Request">The request after the attempt, or <see langword="null"/> when it does not exist.</param>
public sealed record ReviewResult(ReviewResultKind Kind, ApprovalRequest? Request)
{
    /// <summary>Gets whether the decision was recorded.</summary>
    public bool IsRecorded => Kind == ReviewResultKind.Recorded;
}
