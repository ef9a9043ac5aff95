namespace Countersign.Governance;

/// <summary>One model call's use, as the Microsoft.Extensions.AI middleware (or your code) records it.</summary>
public sealed record ModelUsage
{
    /// <summary>Gets the agent.</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the agent's session, if any.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the model name, used to price the call when <see cref="CostUsd"/> is not given.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the cost in USD when the caller knows it; otherwise the model price table prices it.</summary>
    public decimal? CostUsd { get; init; }
}
