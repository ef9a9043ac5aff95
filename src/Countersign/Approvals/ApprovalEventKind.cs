namespace Countersign.Approvals;

/// <summary>What changed in an approval, as reported by <see cref="IApprovalStore.WatchAsync"/>.</summary>
public enum ApprovalEventKind
{
    /// <summary>A new request was stored (not when a caller re-attached to an existing one).</summary>
    Created = 0,

    /// <summary>A reviewer's approval was recorded, and the request still waits for more reviewers to reach its quorum.</summary>
    Reviewed = 1,

    /// <summary>The request was granted: the quorum was reached.</summary>
    Granted = 2,

    /// <summary>A reviewer denied the request.</summary>
    Denied = 3,

    /// <summary>The request expired without a decision (timeout means deny).</summary>
    Expired = 4,

    /// <summary>The grant was claimed by the one execution it authorises.</summary>
    Consumed = 5,

    /// <summary>
    /// Events were lost before this one: the subscriber fell further behind than the store keeps events, or resumed
    /// from a position the store no longer holds. Read the approvals you track again (for example with
    /// <see cref="IApprovalStore.QueryAsync"/>); the events after this one follow without a gap. It carries no approval.
    /// </summary>
    Gap = 6,
}
