using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>What an <see cref="LoopOptions.OnLoopDetected"/> callback receives.</summary>
public sealed class OnLoopDetectedArguments
{
    internal OnLoopDetectedArguments(GateContext context, int calls, bool agentHalted)
    {
        Context = context;
        Calls = calls;
        AgentHalted = agentHalted;
    }

    /// <summary>Gets the call that was denied.</summary>
    public GateContext Context { get; }

    /// <summary>Gets how many identical calls the window holds, this one included.</summary>
    public int Calls { get; }

    /// <summary>Gets whether the agent was halted because of it.</summary>
    public bool AgentHalted { get; }
}
