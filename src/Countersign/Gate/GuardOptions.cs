namespace Countersign;

/// <summary>How a guarded delegate describes its calls to the gate.</summary>
public sealed record GuardOptions
{
    /// <summary>Gets the description shown to reviewers.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the agent recorded for every call.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the session recorded for every call.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the requester recorded for every call; that identity can never approve the call.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// Gets a function that derives an idempotency key from a call, so a retried call re-attaches to its approval.
    /// <see cref="IdempotencyKeys.FromPayload"/> keys a call by its exact payload.
    /// </summary>
    public Func<ActionRequest, string?>? IdempotencyKey { get; init; }

    /// <summary>Gets what a call that needs review does; <see langword="null"/> uses the gate's setting.</summary>
    public OnReviewBehavior? OnReview { get; init; }

    /// <summary>Gets how long reviewers have; <see langword="null"/> uses the policy's or the gate's timeout.</summary>
    public TimeSpan? ReviewTimeout { get; init; }

    /// <summary>
    /// Gets whether a denied or pending call returns the gate's plain <c>DENIED: ...</c> message instead of throwing,
    /// to hand back to an agent. Only for delegates that return <see cref="string"/>.
    /// </summary>
    public bool ReturnDenialMessage { get; init; }

    internal GateCallOptions? CallOptions => OnReview is null && ReviewTimeout is null
        ? null
        : new GateCallOptions { OnReview = OnReview, ReviewTimeout = ReviewTimeout };

    internal ActionRequest Describe(string toolName, System.Text.Json.JsonElement arguments)
    {
        var request = new ActionRequest
        {
            ToolName = toolName,
            Arguments = arguments,
            AgentId = AgentId,
            SessionId = SessionId,
            RequestedBy = RequestedBy,
            Description = Description,
        };
        return IdempotencyKey is null ? request : request with { IdempotencyKey = IdempotencyKey(request) };
    }
}
