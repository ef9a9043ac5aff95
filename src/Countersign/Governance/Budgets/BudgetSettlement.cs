using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>Lets a call report what it really cost, so the budget settles that rather than what it reserved.</summary>
public static class BudgetSettlement
{
    /// <summary>Sets the call's actual cost, for the cost budgets that apply to it; call it before the call is completed.</summary>
    /// <param name="context">The call (from <see cref="GateAuthorization.Context"/>).</param>
    /// <param name="cost">The actual cost; zero or more.</param>
    public static void SetActualCost(GateContext context, decimal cost)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        context.ActualCost = cost;
    }
}
