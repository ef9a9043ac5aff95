using System.Runtime.CompilerServices;
using Countersign.Governance;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.AI;

/// <summary>
/// A chat client that guards the tools of every request: it hides the tools outside the agent's scope from the model,
/// guards the rest with the gate (each invocation judged first, a denial returned to the model as text), and charges
/// the model's token use and its cost to the agent's budgets.
/// </summary>
/// <remarks>
/// <para>Place it before <see cref="FunctionInvokingChatClient"/> in the pipeline
/// (<c>builder.UseCountersign(gate).UseFunctionInvocation()</c>): the function-invoking client then sees, and invokes,
/// only the guarded tools. Tools in <see cref="FunctionInvokingChatClient.AdditionalTools"/> never pass this client;
/// guard them with <c>WithCountersign</c>.</para>
/// <para>The agent, session and requester come from <see cref="ToolOptions"/>, else from the request's
/// <see cref="ChatOptions.AdditionalProperties"/> (<see cref="CountersignChatProperties"/>), the session else from
/// <see cref="ChatOptions.ConversationId"/>. Usage is recorded when the gate has a budget and the agent is known,
/// once per call to this client: a function-invoking client inside it sums the usage of every model round trip.</para>
/// </remarks>
public sealed partial class CountersignChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The next client in the pipeline, usually a <see cref="FunctionInvokingChatClient"/>.</param>
    /// <param name="gate">The gate that judges tool calls and holds the scopes and budgets.</param>
    /// <param name="loggerFactory">Logs usage that could not be recorded; <see langword="null"/> logs nothing.</param>
    public CountersignChatClient(IChatClient innerClient, ActionGate gate, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(gate);
        Gate = gate;
        _logger = (ILogger?)loggerFactory?.CreateLogger<CountersignChatClient>() ?? NullLogger.Instance;
    }

    /// <summary>Gets the gate that judges tool calls.</summary>
    public ActionGate Gate { get; }

    /// <summary>Gets or sets how the guarded tools describe their calls (agent, session, requester, review behaviour).</summary>
    public CountersignToolOptions ToolOptions
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = new();

    /// <summary>Gets or sets whether tools outside the agent's scope are removed from the request, so the model never sees them (on unless set).</summary>
    public bool HideToolsOutOfScope { get; set; } = true;

    /// <summary>Gets or sets whether the model's usage is charged to the agent's token and USD budgets when the gate has a budget (on unless set).</summary>
    public bool RecordUsage { get; set; } = true;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var identity = ToolCallIdentity.Resolve(ToolOptions, options, null);
        var response = await base.GetResponseAsync(messages, Guard(options, identity.AgentId), cancellationToken);
        await RecordAsync(identity, response.ModelId ?? options?.ModelId, response.Usage, cancellationToken);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var identity = ToolCallIdentity.Resolve(ToolOptions, options, null);
        UsageDetails? usage = null;
        var model = options?.ModelId;
        await foreach (var update in base.GetStreamingResponseAsync(messages, Guard(options, identity.AgentId), cancellationToken))
        {
            model = update.ModelId ?? model;
            foreach (var content in update.Contents)
            {
                if (content is UsageContent { Details: { } details })
                {
                    (usage ??= new UsageDetails()).Add(details);
                }
            }

            yield return update;
        }

        await RecordAsync(identity, model, usage, cancellationToken);
    }

    private ChatOptions? Guard(ChatOptions? options, string? agentId)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        var guarded = options.Clone();
        var visible = HideToolsOutOfScope ? tools.Where(tool => Gate.Governance.IsInScope(agentId, tool.Name)) : tools;
        guarded.Tools = visible.WithCountersign(Gate, ToolOptions);
        return guarded;
    }

    private async ValueTask RecordAsync(ToolCallIdentity identity, string? model, UsageDetails? usage, CancellationToken cancellationToken)
    {
        if (!RecordUsage || usage is null || identity.AgentId is not { } agentId || Gate.Governance.Budgets is null)
        {
            return;
        }

        var modelUsage = new ModelUsage
        {
            AgentId = agentId,
            SessionId = identity.SessionId,
            Model = model,
            InputTokens = Math.Max(0, usage.InputTokenCount ?? 0),
            OutputTokens = Math.Max(0, usage.OutputTokenCount ?? 0),
        };
        try
        {
            await Gate.Governance.RecordModelUsageAsync(modelUsage, cancellationToken);
        }
        catch (Exception ex) when (ex is CountersignStoreException or InvalidOperationException)
        {
            // The model has answered: a usage record that fails is reported, never turned into a failed chat call.
            LogUsageNotRecorded(_logger, ex, agentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model usage of agent {AgentId} could not be recorded on its budget.")]
    private static partial void LogUsageNotRecorded(ILogger logger, Exception exception, string agentId);
}
