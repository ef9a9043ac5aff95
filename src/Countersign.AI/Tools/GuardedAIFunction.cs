using Countersign.Pipeline;
using Microsoft.Extensions.AI;

namespace Countersign.AI;

/// <summary>
/// An <see cref="AIFunction"/> whose every invocation passes the gate first. The model sees the inner function's name,
/// description and JSON schema unchanged; a call the gate denies or holds returns a <c>DENIED: ...</c> or
/// <c>PENDING: ...</c> message as the function's result, so the agent reads why and carries on.
/// </summary>
/// <remarks>
/// The tool name the policy matches is the function's <c>Name</c>; the arguments the model
/// sent are the payload reviewers see and approvals are bound to. While reviewers decide, the invocation waits with the
/// chat call's cancellation token: cancelling the chat call cancels the wait, and the call never runs. An exception the
/// inner function throws is audited and rethrown unchanged. Create one with <c>function.WithCountersign(gate)</c>.
/// </remarks>
public sealed class GuardedAIFunction : DelegatingAIFunction
{
    private static readonly DenialReason RefusedArguments = new("invalid_arguments", "refused: its arguments cannot be judged");

    private readonly ActionGate _gate;
    private readonly CountersignToolOptions _options;

    /// <summary>Guards <paramref name="innerFunction"/> with <paramref name="gate"/>.</summary>
    /// <param name="innerFunction">The function to guard.</param>
    /// <param name="gate">The gate that judges each call.</param>
    /// <param name="options">How calls are described; <see langword="null"/> for the defaults.</param>
    public GuardedAIFunction(AIFunction innerFunction, ActionGate gate, CountersignToolOptions? options = null)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(gate);
        options ??= new CountersignToolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageLength, 1, nameof(options));
        _gate = gate;
        _options = options;
    }

    /// <summary>Gets the gate that judges each call.</summary>
    public ActionGate Gate => _gate;

    /// <summary>Gets how calls are described.</summary>
    public CountersignToolOptions Options => _options;

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var request = Describe(arguments);
        var ran = false;
        GateOutcome<object?> outcome;
        try
        {
            outcome = await _gate.ExecuteOutcomeAsync(
                request,
                ct =>
                {
                    ran = true;
                    return InnerFunction.InvokeAsync(arguments, ct);
                },
                _options.CallOptions,
                cancellationToken);
        }
        catch (ArgumentException refused) when (!ran)
        {
            // The gate refused the call's shape (arguments it cannot bind an approval to): the model can fix that.
            return ToolDenialMessage.For(new ActionDeniedException(Name, RefusedArguments, [refused.Message], null), _options.MaxMessageLength);
        }

        return outcome.Rejection is { } rejection ? ToolDenialMessage.For(rejection, _options.MaxMessageLength) : outcome.Result;
    }

    private ActionRequest Describe(AIFunctionArguments arguments)
    {
        var identity = ToolCallIdentity.Resolve(_options, FunctionInvokingChatClient.CurrentContext?.Options, arguments.Context);
        var request = new ActionRequest
        {
            ToolName = Name,
            Arguments = ActionArguments.From(new Dictionary<string, object?>(arguments, StringComparer.Ordinal)),
            AgentId = identity.AgentId,
            SessionId = identity.SessionId,
            RequestedBy = identity.RequestedBy,
            Description = _options.Description,
        };
        return _options.IdempotencyKey is { } key ? request with { IdempotencyKey = key(request) } : request;
    }
}
