namespace Countersign;

/// <summary>Why a call was not allowed to run.</summary>
public enum DenialKind
{
    /// <summary>A policy rule denied it.</summary>
    Policy = 0,

    /// <summary>A reviewer denied it.</summary>
    Reviewer = 1,

    /// <summary>Nobody decided before the timeout; timeout means deny.</summary>
    Timeout = 2,

    /// <summary>The store or the audit log could not record the decision, so the call fails closed.</summary>
    StoreUnavailable = 3,

    /// <summary>The grant was already used, expired, or belongs to another payload.</summary>
    ApprovalNotUsable = 4,
}
