namespace Countersign.AI;

/// <summary>How guarded tools describe their calls to the gate and what the model reads back when a call does not run.</summary>
/// <remarks>
/// The agent, session and requester set here bind every call of the tool. Left unset, each is taken per request from
/// the chat context (see <see cref="CountersignChatProperties"/>).
/// </remarks>
public sealed record CountersignToolOptions
{
    /// <summary>The longest denial or pending message handed back to the model, in characters (2,000 unless set).</summary>
    public const int DefaultMaxMessageLength = 2000;

    /// <summary>Gets the agent recorded for every call, which scopes and budgets key on; <see langword="null"/> takes it from the chat context.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the session recorded for every call; <see langword="null"/> takes it from the chat context.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the requester recorded for every call, who can never approve it; <see langword="null"/> takes it from the chat context.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Gets the description shown to reviewers; <see langword="null"/> shows none.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Gets a function that derives an idempotency key from a call, so a retried call re-attaches to its approval.
    /// <see cref="IdempotencyKeys.FromPayload"/> keys a call by its exact payload.
    /// </summary>
    public Func<ActionRequest, string?>? IdempotencyKey { get; init; }

    /// <summary>Gets what a call that needs review does; <see langword="null"/> uses the gate's setting.</summary>
    public OnReviewBehavior? OnReview { get; init; }

    /// <summary>Gets how long reviewers have; <see langword="null"/> uses the policy's or the gate's timeout.</summary>
    public TimeSpan? ReviewTimeout { get; init; }

    /// <summary>Gets the longest message handed back to the model when a call does not run, in characters.</summary>
    public int MaxMessageLength { get; init; } = DefaultMaxMessageLength;

    internal GateCallOptions? CallOptions => OnReview is null && ReviewTimeout is null
        ? null
        : new GateCallOptions { OnReview = OnReview, ReviewTimeout = ReviewTimeout };
}
