using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Countersign.AI.Tests.Fakes;

/// <summary>A model without a model: answers each request with the next scripted response and records what it was sent.</summary>
internal sealed class ScriptedChatClient(params ChatResponse[] script) : IChatClient
{
    private readonly Queue<ChatResponse> _script = new(script);

    public List<ChatOptions?> Options { get; } = [];

    public List<List<ChatMessage>> Requests { get; } = [];

    public static ChatResponse Calls(params FunctionCallContent[] calls) => new(new ChatMessage(ChatRole.Assistant, [.. calls]))
    {
        ModelId = "gpt-4o-mini",
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
    };

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        ModelId = "gpt-4o-mini",
        Usage = new UsageDetails { InputTokenCount = 150, OutputTokenCount = 10, TotalTokenCount = 160 },
    };

    public static FunctionCallContent Call(string callId, string name, Dictionary<string, object?>? arguments = null) => new(callId, name, arguments ?? []);

    /// <summary>The result the tool loop sent back to the model for <paramref name="callId"/>.</summary>
    public string ResultOf(string callId) => Requests
        .SelectMany(r => r)
        .SelectMany(m => m.Contents)
        .OfType<FunctionResultContent>()
        .Last(r => r.CallId == callId)
        .Result?.ToString() ?? string.Empty;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add([.. messages]);
        Options.Add(options);
        return Task.FromResult(_script.Dequeue());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
