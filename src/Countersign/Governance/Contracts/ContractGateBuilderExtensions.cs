namespace Countersign.Governance;

/// <summary>Adds tool contracts to a gate.</summary>
public static class ContractGateBuilderExtensions
{
    /// <summary>Adds tool contracts: pre-conditions checked just before the call is released (after any approval), post-conditions on its result.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddContracts(this ActionGateBuilder builder, Action<ContractOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Contracts ??= new ContractOptions();
        configure?.Invoke(options);
        return builder;
    }
}
