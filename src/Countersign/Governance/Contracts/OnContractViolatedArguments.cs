using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>What an <see cref="ContractOptions.OnContractViolated"/> callback receives.</summary>
public sealed class OnContractViolatedArguments
{
    internal OnContractViolatedArguments(GateContext context, IReadOnlyList<string> failures, bool agentHalted)
    {
        Context = context;
        Failures = failures;
        AgentHalted = agentHalted;
    }

    /// <summary>Gets the call, with its outcome.</summary>
    public GateContext Context { get; }

    /// <summary>Gets the post-conditions that failed, as recorded.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Gets whether the agent was halted because of it.</summary>
    public bool AgentHalted { get; }
}
