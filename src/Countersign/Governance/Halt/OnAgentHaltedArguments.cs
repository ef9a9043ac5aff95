namespace Countersign.Governance;

/// <summary>What an <see cref="HaltOptions.OnHalted"/> callback receives.</summary>
public sealed class OnAgentHaltedArguments
{
    internal OnAgentHaltedArguments(AgentHalt halt, string source)
    {
        Halt = halt;
        Source = source;
    }

    /// <summary>Gets the halt: the agent (or all), who, why and when.</summary>
    public AgentHalt Halt { get; }

    /// <summary>Gets what made it: <c>operator</c>, <c>loops</c> or <c>contracts</c>.</summary>
    public string Source { get; }
}
