namespace Countersign.Governance;

/// <summary>The one rule every store applies when it checks a budget charge, so stores agree on the last unit.</summary>
public static class BudgetRules
{
    /// <summary>
    /// Whether a counter has room for a charge: what is used, held and asked for stays within the cap, and a charge of
    /// zero (a check only) finds the counter under its cap.
    /// </summary>
    /// <param name="used">Settled use.</param>
    /// <param name="reserved">Held reservations.</param>
    /// <param name="amount">The charge.</param>
    /// <param name="limit">The cap.</param>
    /// <returns>Whether the charge fits.</returns>
    public static bool HasRoom(decimal used, decimal reserved, decimal amount, decimal limit) =>
        amount > 0 ? used + reserved + amount <= limit : used + reserved < limit;
}
