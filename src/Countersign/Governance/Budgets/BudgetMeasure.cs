namespace Countersign.Governance;

/// <summary>What a budget counts.</summary>
public enum BudgetMeasure
{
    /// <summary>Calls: each call takes one.</summary>
    Calls = 0,

    /// <summary>A cost each call carries: an argument it names (<see cref="BudgetLimit.CostArgument"/>) or a fixed cost per call.</summary>
    Cost = 1,

    /// <summary>Model tokens, recorded after each model call with <see cref="GateGovernance.RecordModelUsageAsync"/>; a call is denied once the cap is reached.</summary>
    Tokens = 2,

    /// <summary>Model spend in USD, recorded like <see cref="Tokens"/> and priced from the model price table.</summary>
    Usd = 3,
}
