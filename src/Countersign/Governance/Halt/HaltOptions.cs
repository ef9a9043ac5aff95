namespace Countersign.Governance;

/// <summary>What <see cref="HaltGateBuilderExtensions.AddHalt"/> configures: the operator's kill switch.</summary>
public sealed class HaltOptions
{
    /// <summary>Gets or sets a callback run in this process whenever a halt is recorded through this gate (by an operator, loops or contracts).</summary>
    public Func<OnAgentHaltedArguments, ValueTask>? OnHalted { get; set; }
}
