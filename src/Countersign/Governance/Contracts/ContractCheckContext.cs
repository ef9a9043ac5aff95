using System.Text.Json;
using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>What a contract condition sees: the call, its arguments, and (for a post-condition) its result.</summary>
public sealed class ContractCheckContext
{
    internal ContractCheckContext(GateContext call, GateGovernance governance, object? result, bool isPostCondition, CancellationToken cancellationToken)
    {
        Call = call;
        Governance = governance;
        Result = result;
        IsPostCondition = isPostCondition;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the call and what the stages found (verdict, approval, path).</summary>
    public GateContext Call { get; }

    /// <summary>Gets the call's arguments.</summary>
    public JsonElement Arguments => Call.Request.Arguments;

    /// <summary>Gets the call's result, for a post-condition (a value, or a <see cref="JsonElement"/> from a remote caller).</summary>
    public object? Result { get; }

    /// <summary>Gets whether the condition is checked after the call ran.</summary>
    public bool IsPostCondition { get; }

    /// <summary>Gets the gate's governance, for checks that read scopes or budgets.</summary>
    public GateGovernance Governance { get; }

    /// <summary>Gets the cancellation of the check.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reads the result as JSON, whatever form it came in.</summary>
    /// <returns>The result as a JSON element (<c>null</c> when there is none).</returns>
    public JsonElement ResultAsJson() => Result is JsonElement element ? element : ActionArguments.From(Result);
}
