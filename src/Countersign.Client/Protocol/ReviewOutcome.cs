namespace Countersign.Client.Protocol;

/// <summary>The answer to a review: what the store did with it and the approval's new state.</summary>
/// <param name="Result"><c>recorded</c>, or why it was refused.</param>
/// <param name="Approval">The approval after the review.</param>
public sealed record ReviewOutcome(string Result, ApprovalView? Approval);
