using System.Text.Json;

namespace Countersign;

/// <summary>
/// Describes one call that an agent or an automation wants to make: the tool, its arguments and who asks.
/// </summary>
/// <remarks>
/// The payload that approvals are bound to is the tool name plus the canonical JSON of <see cref="Arguments"/>;
/// the other fields describe the call but do not change what a reviewer authorises.
/// </remarks>
public sealed record ActionRequest
{
    /// <summary>Gets the name of the tool or action, for example <c>refund</c> or <c>send_email</c>.</summary>
    public required string ToolName { get; init; }

    /// <summary>Gets the call's arguments as a JSON value (usually an object). Defaults to an empty object.</summary>
    public JsonElement Arguments { get; init; } = EmptyObject;

    /// <summary>Gets the identifier of the agent that proposes the call, if known.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the identifier of the agent's session or conversation, if known.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the identity on whose behalf the call is made; that identity can never approve it.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// Gets a key that identifies this logical call across retries and restarts. A call that repeats the key
    /// re-attaches to the earlier request and its decision instead of creating a new one.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets a free-text description shown to reviewers.</summary>
    public string? Description { get; init; }

    /// <summary>Creates a request whose arguments are serialized from <paramref name="arguments"/>.</summary>
    /// <param name="toolName">The tool or action name.</param>
    /// <param name="arguments">Any value System.Text.Json can serialize; <see langword="null"/> means no arguments.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The tool name is empty or the arguments cannot be serialized.</exception>
    public static ActionRequest Create(string toolName, object? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        return new ActionRequest { ToolName = toolName, Arguments = ActionArguments.From(arguments) };
    }

    internal static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
