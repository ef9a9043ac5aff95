namespace Countersign.Client.Protocol;

/// <summary>The server's answer to a submitted or claimed action: allow, deny or pending.</summary>
public sealed record ActionVerdict
{
    /// <summary>The verdict that lets the caller run the call now, then report its outcome.</summary>
    public const string Allow = "allow";

    /// <summary>The verdict that stops the call.</summary>
    public const string Deny = "deny";

    /// <summary>The verdict that holds the call for reviewers: wait for the approval, then claim it.</summary>
    public const string Pending = "pending";

    /// <summary>Gets <see cref="Allow"/>, <see cref="Deny"/> or <see cref="Pending"/>.</summary>
    public required string Verdict { get; init; }

    /// <summary>Gets the call's identifier in the audit log; report the outcome of an allowed call under it.</summary>
    public required string ActionId { get; init; }

    /// <summary>Gets the approval that holds or released the call, if one was needed.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>Gets the idempotency key the call is recorded under (as sent, or assigned by the server).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets why an allowed call may run: <c>allow</c>, <c>approved</c>, <c>shadow_mode</c>, <c>fail_open</c> or <c>review_shadow</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Gets whether enforcement would have blocked or held a call that may run anyway.</summary>
    public bool WouldBlock { get; init; }

    /// <summary>Gets the reasons the policy, a reviewer or a stage gave.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets the stable code of a denial, for example <c>policy</c>, <c>reviewer</c> or <c>timeout</c>.</summary>
    public string? DenialCode { get; init; }

    /// <summary>Gets the summary of a denial, completing "'tool' was …".</summary>
    public string? DenialSummary { get; init; }

    /// <summary>Gets the reviewer who denied the call.</summary>
    public string? Reviewer { get; init; }

    /// <summary>Gets the reviewer's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets the gate's plain message, to hand back to an agent.</summary>
    public string? Message { get; init; }

    /// <summary>Gets when a pending approval expires (timeout means deny).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Gets whether this is the stored answer to an earlier submission with the same idempotency key and payload. A
    /// replayed <see cref="Allow"/> was handed out before: the call must not run again.
    /// </summary>
    public bool Replayed { get; init; }
}
