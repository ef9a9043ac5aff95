namespace Countersign.Governance;

/// <summary>What <see cref="BudgetGateBuilderExtensions.AddBudget"/> configures: caps per agent per session and per day.</summary>
public sealed class BudgetOptions
{
    /// <summary>Gets the caps; each applies separately.</summary>
    public IList<BudgetLimit> Limits { get; } = new List<BudgetLimit>();

    /// <summary>Gets or sets how long a session may make calls after its first; <see langword="null"/> for no limit.</summary>
    public TimeSpan? SessionTimeLimit { get; set; }

    /// <summary>Gets or sets a JSON file of model prices that replaces or adds to the built-in ones (same shape as the built-in <c>model-prices.json</c>).</summary>
    public string? ModelPricesPath { get; set; }

    /// <summary>Gets prices set in code, per model name; they win over the file and the built-in table.</summary>
    public IDictionary<string, ModelPrice> ModelPrices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a callback run when a call is denied for a budget, or settled usage overruns one.</summary>
    public Func<OnBudgetExceededArguments, ValueTask>? OnBudgetExceeded { get; set; }

    /// <summary>Caps the calls each agent makes per <paramref name="period"/>, in total or to <paramref name="tool"/>.</summary>
    /// <param name="cap">The cap.</param>
    /// <param name="period">The period.</param>
    /// <param name="tool">A tool name or glob, or <see langword="null"/> for every tool together.</param>
    /// <returns>These options.</returns>
    public BudgetOptions LimitCalls(int cap, BudgetPeriod period, string? tool = null) =>
        Add(new BudgetLimit { Measure = BudgetMeasure.Calls, Period = period, Cap = cap, Tool = tool });

    /// <summary>Caps the summed cost the <paramref name="costArgument"/> argument of <paramref name="tool"/> carries per <paramref name="period"/>.</summary>
    /// <param name="cap">The cap.</param>
    /// <param name="period">The period.</param>
    /// <param name="tool">The tool name or glob.</param>
    /// <param name="costArgument">The top-level argument holding the cost, for example <c>amount</c>.</param>
    /// <returns>These options.</returns>
    public BudgetOptions LimitCost(decimal cap, BudgetPeriod period, string tool, string costArgument) =>
        Add(new BudgetLimit { Measure = BudgetMeasure.Cost, Period = period, Cap = cap, Tool = tool, CostArgument = costArgument });

    /// <summary>Caps the summed fixed cost of calls to <paramref name="tool"/> per <paramref name="period"/>.</summary>
    /// <param name="cap">The cap.</param>
    /// <param name="period">The period.</param>
    /// <param name="tool">The tool name or glob.</param>
    /// <param name="costPerCall">What each call costs.</param>
    /// <returns>These options.</returns>
    public BudgetOptions LimitFixedCost(decimal cap, BudgetPeriod period, string tool, decimal costPerCall) =>
        Add(new BudgetLimit { Measure = BudgetMeasure.Cost, Period = period, Cap = cap, Tool = tool, FixedCost = costPerCall });

    /// <summary>Caps the model tokens each agent uses per <paramref name="period"/>.</summary>
    /// <param name="cap">The cap.</param>
    /// <param name="period">The period.</param>
    /// <returns>These options.</returns>
    public BudgetOptions LimitTokens(long cap, BudgetPeriod period) =>
        Add(new BudgetLimit { Measure = BudgetMeasure.Tokens, Period = period, Cap = cap });

    /// <summary>Caps each agent's model spend in USD per <paramref name="period"/>.</summary>
    /// <param name="cap">The cap.</param>
    /// <param name="period">The period.</param>
    /// <returns>These options.</returns>
    public BudgetOptions LimitUsd(decimal cap, BudgetPeriod period) =>
        Add(new BudgetLimit { Measure = BudgetMeasure.Usd, Period = period, Cap = cap });

    internal void Validate(List<string> errors)
    {
        for (var i = 0; i < Limits.Count; i++)
        {
            Limits[i].Validate(i, errors);
        }

        if (SessionTimeLimit <= TimeSpan.Zero)
        {
            errors.Add("Budgets: SessionTimeLimit must be more than zero.");
        }

        if (Limits.Count == 0 && SessionTimeLimit is null)
        {
            errors.Add("Budgets: add at least one limit or a session time limit.");
        }
    }

    private BudgetOptions Add(BudgetLimit limit)
    {
        Limits.Add(limit);
        return this;
    }
}
