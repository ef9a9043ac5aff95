using Microsoft.Extensions.AI;

namespace Countersign.AI;

/// <summary>
/// The keys under which a chat request names its agent, session and requester in
/// <see cref="ChatOptions.AdditionalProperties"/>, for guarded tools and <see cref="CountersignChatClient"/> to read.
/// </summary>
/// <remarks>
/// Guarded tools look for each value in their <see cref="CountersignToolOptions"/> first, then in the request's
/// <see cref="ChatOptions.AdditionalProperties"/> (through <see cref="FunctionInvokingChatClient.CurrentContext"/>),
/// then in <see cref="AIFunctionArguments.Context"/>; the session falls back to <see cref="ChatOptions.ConversationId"/>.
/// These values come from the application, never from the model.
/// </remarks>
public static class CountersignChatProperties
{
    /// <summary>The key of the agent's id.</summary>
    public const string AgentId = "countersign.agent_id";

    /// <summary>The key of the session's id.</summary>
    public const string SessionId = "countersign.session_id";

    /// <summary>The key of the requester, who can never approve the agent's calls.</summary>
    public const string RequestedBy = "countersign.requested_by";

    /// <summary>Names the agent, session and requester of this request's tool calls.</summary>
    /// <param name="options">The request's options.</param>
    /// <param name="agentId">The agent.</param>
    /// <param name="sessionId">The session, or <see langword="null"/>.</param>
    /// <param name="requestedBy">The requester, or <see langword="null"/>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithCountersignAgent(this ChatOptions options, string agentId, string? sessionId = null, string? requestedBy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        var properties = options.AdditionalProperties ??= [];
        properties[AgentId] = agentId;
        Set(properties, SessionId, sessionId);
        Set(properties, RequestedBy, requestedBy);
        return options;
    }

    private static void Set(AdditionalPropertiesDictionary properties, string key, string? value)
    {
        if (value is null)
        {
            properties.Remove(key);
        }
        else
        {
            properties[key] = value;
        }
    }
}
