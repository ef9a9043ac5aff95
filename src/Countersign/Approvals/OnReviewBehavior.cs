namespace Countersign;

/// <summary>What a guarded call does when the policy says a human must review it.</summary>
public enum OnReviewBehavior
{
    /// <summary>Wait for the decision up to the timeout; timeout means deny. The default.</summary>
    Block = 0,

    /// <summary>
    /// Throw <see cref="ApprovalPendingException"/> at once; the request stays pending, and a later call with the same
    /// idempotency key picks up the decision.
    /// </summary>
    FailClosed = 1,

    /// <summary>Run as if allowed and record it. Only for fully reversible actions.</summary>
    FailOpen = 2,

    /// <summary>Run and record that it would have waited for review.</summary>
    Shadow = 3,
}
