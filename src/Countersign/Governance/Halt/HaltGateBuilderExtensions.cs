namespace Countersign.Governance;

/// <summary>Adds the operator's kill switch to a gate.</summary>
public static class HaltGateBuilderExtensions
{
    /// <summary>Adds the operator's kill switch: calls from a halted agent are denied with the halt's reason until it is resumed (<see cref="GateGovernance.HaltAsync"/>, <see cref="GateGovernance.ResumeAsync"/>). Halts live in the store, so every process on it sees them.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddHalt(this ActionGateBuilder builder, Action<HaltOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Halt ??= new HaltOptions();
        configure?.Invoke(options);
        return builder;
    }
}
