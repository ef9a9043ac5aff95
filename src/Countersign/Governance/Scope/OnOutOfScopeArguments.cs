using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>What an <see cref="ScopeOptions.OnOutOfScope"/> callback receives: the call denied and the agent's scope.</summary>
public sealed class OnOutOfScopeArguments
{
    internal OnOutOfScopeArguments(GateContext context, IReadOnlyList<string>? scope)
    {
        Context = context;
        Scope = scope;
    }

    /// <summary>Gets the call.</summary>
    public GateContext Context { get; }

    /// <summary>Gets the agent's tool patterns, or <see langword="null"/> when it has no scope.</summary>
    public IReadOnlyList<string>? Scope { get; }
}
