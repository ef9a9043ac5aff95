namespace Countersign.Governance;

/// <summary>Adds budgets to a gate.</summary>
public static class BudgetGateBuilderExtensions
{
    /// <summary>Adds budgets: calls, costs, model tokens and USD capped per agent per session and per day, checked and reserved atomically in the store.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddBudget(this ActionGateBuilder builder, Action<BudgetOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Budget ??= new BudgetOptions();
        configure?.Invoke(options);
        return builder;
    }
}
