namespace Countersign;

/// <summary>Per-call overrides of the gate's settings.</summary>
public sealed record GateCallOptions
{
    /// <summary>Gets what this call does when it needs review; <see langword="null"/> uses <see cref="CountersignOptions.OnReview"/>.</summary>
    public OnReviewBehavior? OnReview { get; init; }

    /// <summary>Gets how long reviewers have for this call; <see langword="null"/> uses the policy's or the gate's timeout.</summary>
    public TimeSpan? ReviewTimeout { get; init; }

    /// <summary>
    /// Gets a callback run when this call creates an approval, before it waits: it hands a blocked caller the
    /// approval's id (to show a link, or to log it). Its exception is logged and never changes the decision.
    /// </summary>
    public Func<Approvals.OnApprovalRequestedArguments, ValueTask>? OnApprovalRequested { get; init; }
}
