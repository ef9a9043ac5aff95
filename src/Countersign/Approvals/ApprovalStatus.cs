namespace Countersign.Approvals;

/// <summary>Where an approval request is in its life.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for reviewers.</summary>
    Pending = 0,

    /// <summary>Enough distinct reviewers approved; the action may run once, before the grant expires.</summary>
    Granted = 1,

    /// <summary>A reviewer denied it.</summary>
    Denied = 2,

    /// <summary>Nobody decided before the timeout; treated as a denial.</summary>
    Expired = 3,

    /// <summary>The grant was claimed by one execution and can never be used again.</summary>
    Consumed = 4,
}
