using System.Text.Json;

namespace Countersign;

/// <summary>
/// What a guarded delegate knows about itself: its gate, tool name, parameter names and options. A
/// <see cref="CancellationToken"/> parameter is not part of the payload: it cancels waiting for reviewers and flows
/// into the call.
/// </summary>
internal sealed class GuardedDelegate
{
    private readonly ActionGate _gate;
    private readonly string _toolName;
    private readonly string[] _parameterNames;
    private readonly int _tokenIndex;
    private readonly GuardOptions _options;

    private GuardedDelegate(ActionGate gate, string toolName, string[] parameterNames, int tokenIndex, GuardOptions options)
    {
        _gate = gate;
        _toolName = toolName;
        _parameterNames = parameterNames;
        _tokenIndex = tokenIndex;
        _options = options;
    }

    public static GuardedDelegate Create(ActionGate gate, string toolName, Delegate function, GuardOptions? options, Type resultType)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        ArgumentNullException.ThrowIfNull(function);
        options ??= new GuardOptions();
        if (options.ReturnDenialMessage && resultType != typeof(string))
        {
            throw new ArgumentException(
                $"GuardOptions.ReturnDenialMessage needs a delegate that returns string; '{toolName}' returns {(resultType == typeof(void) ? "nothing" : resultType.Name)}.",
                nameof(options));
        }

        var parameters = function.Method.GetParameters();
        var names = new List<string>(parameters.Length);
        var tokenIndex = -1;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken))
            {
                if (tokenIndex >= 0)
                {
                    throw new ArgumentException($"'{toolName}' takes more than one CancellationToken; a guarded delegate takes at most one.", nameof(function));
                }

                tokenIndex = i;
                continue;
            }

            names.Add(string.IsNullOrEmpty(parameters[i].Name) ? $"arg{i}" : parameters[i].Name!);
        }

        return new GuardedDelegate(gate, toolName, [.. names], tokenIndex, options);
    }

    public TResult Run<TResult>(object?[] values, Func<TResult> call, Func<object?>? payload)
    {
        var request = Describe(values, payload);
        if (_options.ReturnDenialMessage)
        {
            var outcome = ActionGate.WithoutSynchronizationContext(() => _gate.ExecuteOutcomeAsync(request, _ => new ValueTask<TResult>(call()), _options.CallOptions));
            return outcome.Kind == GateOutcomeKind.Executed ? outcome.Result! : (TResult)(object)outcome.ToAgentMessage();
        }

        return _gate.Execute(request, call, _options.CallOptions);
    }

    public async Task<TResult> RunAsync<TResult>(object?[] values, Func<CancellationToken, ValueTask<TResult>> call, Func<object?>? payload)
    {
        var request = Describe(values, payload);
        var cancellationToken = _tokenIndex >= 0 ? (CancellationToken)values[_tokenIndex]! : CancellationToken.None;
        if (_options.ReturnDenialMessage)
        {
            var outcome = await _gate.ExecuteOutcomeAsync(request, call, _options.CallOptions, cancellationToken);
            return outcome.Kind == GateOutcomeKind.Executed ? outcome.Result! : (TResult)(object)outcome.ToAgentMessage();
        }

        return await _gate.ExecuteAsync(request, call, _options.CallOptions, cancellationToken);
    }

    private ActionRequest Describe(object?[] values, Func<object?>? payload)
    {
        JsonElement arguments;
        if (payload is not null)
        {
            arguments = ActionArguments.From(payload());
        }
        else if (_tokenIndex < 0)
        {
            arguments = ActionArguments.FromParameters(_parameterNames, values);
        }
        else
        {
            object?[] described = [.. values[.._tokenIndex], .. values[(_tokenIndex + 1)..]];
            arguments = ActionArguments.FromParameters(_parameterNames, described);
        }

        return _options.Describe(_toolName, arguments);
    }
}
