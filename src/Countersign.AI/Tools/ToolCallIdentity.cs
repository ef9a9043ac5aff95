using Microsoft.Extensions.AI;

namespace Countersign.AI;

/// <summary>Who makes a tool call: the tool's options first, then the chat request, then the function arguments' context.</summary>
internal readonly record struct ToolCallIdentity(string? AgentId, string? SessionId, string? RequestedBy)
{
    public static ToolCallIdentity Resolve(CountersignToolOptions options, ChatOptions? chat, IDictionary<object, object?>? context) => new(
        options.AgentId ?? Find(chat, context, CountersignChatProperties.AgentId),
        options.SessionId ?? Find(chat, context, CountersignChatProperties.SessionId) ?? chat?.ConversationId,
        options.RequestedBy ?? Find(chat, context, CountersignChatProperties.RequestedBy));

    private static string? Find(ChatOptions? chat, IDictionary<object, object?>? context, string key)
    {
        if (chat?.AdditionalProperties is { } properties && properties.TryGetValue(key, out var value) && value is string text)
        {
            return text;
        }

        return context is not null && context.TryGetValue(key, out var fromContext) && fromContext is string contextText ? contextText : null;
    }
}
