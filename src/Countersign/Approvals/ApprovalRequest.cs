namespace Countersign.Approvals;

/// <summary>
/// A durable request for human approval of one exact payload. Stores persist it; reviewers decide on it;
/// a granted request is claimed once by the execution it authorises.
/// </summary>
public sealed record ApprovalRequest
{
    /// <summary>Gets the approval's identifier.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the identifier of the intercepted call, as used in the audit log and exceptions.</summary>
    public required string ActionId { get; init; }

    /// <summary>Gets the tool name.</summary>
    public required string ToolName { get; init; }

    /// <summary>Gets the keyed hash of the exact payload this approval authorises.</summary>
    public required string PayloadHash { get; init; }

    /// <summary>Gets the arguments as canonical JSON, with redacted fields already masked.</summary>
    public required string RedactedArgumentsJson { get; init; }

    /// <summary>
    /// Gets the agent that proposed the call; it may not review this request. A request names at least one of
    /// <see cref="AgentId"/> and <see cref="RequestedBy"/>.
    /// </summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the agent's session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the identity on whose behalf the call is made; it may not review this request.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Gets the key that lets a retried or restarted caller re-attach to this request.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the description shown to reviewers.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the risk level from the policy.</summary>
    public RiskLevel Risk { get; init; } = RiskLevel.Medium;

    /// <summary>Gets why the policy asked for approval.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets how many distinct reviewers must approve.</summary>
    public int Quorum { get; init; } = 1;

    /// <summary>Gets the roles allowed to review; empty means anyone but the requester and the agent.</summary>
    public IReadOnlyList<string> ReviewerRoles { get; init; } = [];

    /// <summary>Gets when the request was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when an undecided request expires (timeout means deny).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// Gets how long a grant stays usable once the quorum is reached, as the gate that created the request was set up
    /// (<see cref="CountersignOptions.GrantValidity"/>); a reviewer in another process applies it without being told.
    /// <see langword="null"/> leaves it to the reviewer's recorder.
    /// </summary>
    public TimeSpan? GrantValidity { get; init; }

    /// <summary>Gets when a grant stops being usable; set when the request is granted.</summary>
    public DateTimeOffset? GrantExpiresAt { get; init; }

    /// <summary>Gets the current status.</summary>
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    /// <summary>Gets the decisions recorded so far, in order.</summary>
    public IReadOnlyList<Review> Decisions { get; init; } = [];

    /// <summary>Gets when the grant was consumed by an execution.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>Gets whether no further decision can change the request.</summary>
    public bool IsResolved => Status != ApprovalStatus.Pending;
}
