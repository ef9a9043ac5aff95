using Microsoft.Extensions.AI;

namespace AgentWithApprovals;

/// <summary>
/// Stands in for a language model, so the sample runs without an API key: it asks for two tools, then reports what
/// the tools answered. Swap it for any IChatClient (OpenAI, Azure OpenAI, Ollama, ...) and nothing else changes.
/// </summary>
internal sealed class ScriptedRefundModel : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        var reply = results.Count == 0
            ? new ChatMessage(ChatRole.Assistant, [
                new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["orderId"] = "ord_1002" }),
                new FunctionCallContent("call_2", "refund", new Dictionary<string, object?> { ["orderId"] = "ord_1002", ["amount"] = 4000 }),
            ])
            : new ChatMessage(ChatRole.Assistant, "Here is what happened:\n" + string.Join("\n", results.Select(r => $"  {r.CallId}: {r.Result}")));
        var offered = string.Join(", ", options?.Tools?.Select(t => t.Name) ?? []);
        Console.WriteLine($"[model] tools offered: {offered}");
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = 420, OutputTokenCount = 35 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The sample does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
