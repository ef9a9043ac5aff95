namespace Countersign.Governance;

/// <summary>Adds the scope stage to a gate.</summary>
public static class ScopeGateBuilderExtensions
{
    /// <summary>Adds the scope stage: once an agent has a scope, every tool outside it is denied. A policy file's <c>scopes:</c> section turns it on too.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddScope(this ActionGateBuilder builder, Action<ScopeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Scope ??= new ScopeOptions();
        configure?.Invoke(options);
        return builder;
    }
}
