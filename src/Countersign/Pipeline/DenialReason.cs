namespace Countersign.Pipeline;

/// <summary>
/// Why a call was not allowed to run: a stable machine-readable code and a short human summary. The set is open: a stage
/// of your own defines its reasons the same way, without changing any type of Countersign.
/// </summary>
/// <param name="Code">A stable snake_case code recorded in the audit log, for example <c>policy</c> or <c>business_hours</c>.</param>
/// <param name="Summary">What happened, completing "'tool' was …", for example <c>denied by policy</c>.</param>
public sealed record DenialReason(string Code, string Summary)
{
    /// <summary>A policy rule denied the call.</summary>
    public static DenialReason Policy { get; } = new("policy", "denied by policy");

    /// <summary>A reviewer denied the call.</summary>
    public static DenialReason Reviewer { get; } = new("reviewer", "denied by a reviewer");

    /// <summary>Nobody decided before the timeout; timeout means deny.</summary>
    public static DenialReason Timeout { get; } = new("timeout", "denied: no reviewer decided before the timeout");

    /// <summary>The store or the audit log could not record the decision, so enforcement failed closed.</summary>
    public static DenialReason StoreUnavailable { get; } = new("store_unavailable", "denied: the decision could not be recorded, so enforcement failed closed");

    /// <summary>The grant was already used, expired, or belongs to another payload.</summary>
    public static DenialReason ApprovalNotUsable { get; } = new("approval_not_usable", "denied: the approval cannot be used for this call");

    /// <summary>The call needs approval but names neither a requester nor an agent, so nobody could be kept from approving it.</summary>
    public static DenialReason NoRequester { get; } = new("no_requester", "denied: a call that needs approval must name its requester or agent");

    /// <summary>The idempotency key already ran once (at most once per key), and its result cannot be returned.</summary>
    public static DenialReason AlreadyExecuted { get; } = new("already_executed", "not run again: its idempotency key was already executed");

    /// <summary>A stage of the gate itself failed, so the call is denied rather than let through.</summary>
    public static DenialReason StageFailed { get; } = new("stage_failed", "denied: a gate stage failed, so enforcement failed closed");
}
