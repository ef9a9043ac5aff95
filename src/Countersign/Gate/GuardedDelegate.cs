using System.Reflection;
using System.Text.Json;

namespace Countersign;

/// <summary>What a guarded delegate knows about itself: its gate, tool name, parameter names and options.</summary>
internal sealed class GuardedDelegate
{
    private readonly ActionGate _gate;
    private readonly string _toolName;
    private readonly string[] _parameterNames;
    private readonly GuardOptions _options;

    private GuardedDelegate(ActionGate gate, string toolName, string[] parameterNames, GuardOptions options)
    {
        _gate = gate;
        _toolName = toolName;
        _parameterNames = parameterNames;
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
        var names = new string[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            names[i] = string.IsNullOrEmpty(parameters[i].Name) ? $"arg{i}" : parameters[i].Name!;
        }

        return new GuardedDelegate(gate, toolName, names, options);
    }

    public static string NameOf(Delegate function, string? expression)
    {
        ArgumentNullException.ThrowIfNull(function);
        var method = function.Method;
        if (!method.Name.Contains('<', StringComparison.Ordinal) && method.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
        {
            return method.Name;
        }

        var last = expression?.Split('.').LastOrDefault()?.Trim();
        if (!string.IsNullOrEmpty(last) && last.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return last;
        }

        throw new ArgumentException(
            "A lambda has no name to use as the tool name; pass one: gate.Guard(\"refund\", (string orderId) => ...).", nameof(function));
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
        if (_options.ReturnDenialMessage)
        {
            var outcome = await _gate.ExecuteOutcomeAsync(request, call, _options.CallOptions);
            return outcome.Kind == GateOutcomeKind.Executed ? outcome.Result! : (TResult)(object)outcome.ToAgentMessage();
        }

        return await _gate.ExecuteAsync(request, call, _options.CallOptions);
    }

    private ActionRequest Describe(object?[] values, Func<object?>? payload)
    {
        JsonElement arguments = payload is null
            ? ActionArguments.FromParameters(_parameterNames, values)
            : ActionArguments.From(payload());
        return _options.Describe(_toolName, arguments);
    }
}
