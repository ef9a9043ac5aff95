namespace Countersign.Approvals;

/// <summary>One page of the approvals an <see cref="ApprovalQuery"/> selects.</summary>
/// <param name="Items">The approvals, in the query's order, at most <see cref="ApprovalQuery.PageSize"/> of them.</param>
/// <param name="NextCursor">
/// Where the next page starts: pass it as <see cref="ApprovalQuery.After"/> with the same query. <see langword="null"/>
/// when this is the last page.
/// </param>
/// <param name="FeedPosition">
/// The change feed's position when the page was read. Pass it to <see cref="IApprovalStore.WatchAsync"/> to receive
/// every change made after this read, so that a list and its live updates miss nothing between them.
/// </param>
public sealed record ApprovalPage(IReadOnlyList<ApprovalRequest> Items, ApprovalCursor? NextCursor, long FeedPosition);
