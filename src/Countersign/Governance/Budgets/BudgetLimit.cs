namespace Countersign.Governance;

/// <summary>One cap: what is counted, per which period, for which agent and tool, and how much.</summary>
public sealed class BudgetLimit
{
    /// <summary>Gets the measure.</summary>
    public required BudgetMeasure Measure { get; init; }

    /// <summary>Gets the period each agent's counter covers.</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>Gets the cap, per agent and period.</summary>
    public required decimal Cap { get; init; }

    /// <summary>Gets the agent the cap applies to; <see langword="null"/> gives every agent a cap of its own.</summary>
    public string? Agent { get; init; }

    /// <summary>Gets the tool (exact name or glob) the cap counts; <see langword="null"/> counts every tool together. Not for tokens and USD.</summary>
    public string? Tool { get; init; }

    /// <summary>Gets, for <see cref="BudgetMeasure.Cost"/>, the top-level argument holding the call's cost, for example <c>amount</c>.</summary>
    public string? CostArgument { get; init; }

    /// <summary>Gets, for <see cref="BudgetMeasure.Cost"/>, the fixed cost of each call when no argument is named.</summary>
    public decimal? FixedCost { get; init; }

    internal void Validate(int index, List<string> errors)
    {
        var at = $"Budget limit {index}";
        if (Cap < 0)
        {
            errors.Add($"{at}: Cap must be zero or more.");
        }

        if (Measure == BudgetMeasure.Cost && (CostArgument is null) == (FixedCost is null))
        {
            errors.Add($"{at}: a cost budget needs exactly one of CostArgument or FixedCost.");
        }

        if (Measure != BudgetMeasure.Cost && (CostArgument is not null || FixedCost is not null))
        {
            errors.Add($"{at}: CostArgument and FixedCost apply to cost budgets only.");
        }

        if (FixedCost < 0)
        {
            errors.Add($"{at}: FixedCost must be zero or more.");
        }

        if (Measure is BudgetMeasure.Tokens or BudgetMeasure.Usd && Tool is not null)
        {
            errors.Add($"{at}: token and USD budgets count model use, not a tool; leave Tool out.");
        }

        if (Tool is not null && string.IsNullOrWhiteSpace(Tool))
        {
            errors.Add($"{at}: Tool must not be empty.");
        }

        if (Measure is not (BudgetMeasure.Calls or BudgetMeasure.Cost or BudgetMeasure.Tokens or BudgetMeasure.Usd) || Period is not (BudgetPeriod.Session or BudgetPeriod.Day))
        {
            errors.Add($"{at}: unknown measure or period.");
        }
    }
}
