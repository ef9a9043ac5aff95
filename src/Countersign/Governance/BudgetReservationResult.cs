namespace Countersign.Governance;

/// <summary>The answer to a check-and-reserve: every charge reserved, or none and the counter that had no room.</summary>
/// <param name="IsReserved">Whether every charge was reserved.</param>
/// <param name="Exhausted">The counter without room, when the reservation was refused.</param>
public sealed record BudgetReservationResult(bool IsReserved, BudgetUsage? Exhausted)
{
    /// <summary>Gets the result of a reservation that took every charge.</summary>
    public static BudgetReservationResult Reserved { get; } = new(true, null);
}
