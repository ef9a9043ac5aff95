namespace Countersign.Execution;

/// <summary>The one execution an idempotency key is allowed: which call claimed it, and how it ended.</summary>
public sealed record ExecutionRecord
{
    /// <summary>Gets the idempotency key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the call that claimed the key.</summary>
    public required string ActionId { get; init; }

    /// <summary>Gets the tool.</summary>
    public required string ToolName { get; init; }

    /// <summary>Gets the keyed hash of the payload that ran under the key.</summary>
    public required string PayloadHash { get; init; }

    /// <summary>Gets when the key was claimed.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the execution's state.</summary>
    public ExecutionStatus Status { get; init; } = ExecutionStatus.Running;

    /// <summary>Gets the result as JSON, when the call succeeded, results are recorded, and nothing in it was redacted.</summary>
    public string? ResultJson { get; init; }

    /// <summary>Gets the error, when the call failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets when the call ended.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
