namespace Countersign.Governance;

/// <summary>
/// One counter a call draws on: the counter's key (agent, period, measure and tool), the amount and the counter's cap.
/// An amount of zero only checks that the counter is still under its cap (tokens and USD, which are recorded after the
/// model answered).
/// </summary>
/// <param name="Key">The counter, for example <c>billing|day:2026-12-04|calls|refund</c>.</param>
/// <param name="Amount">How much the call takes; zero or more.</param>
/// <param name="Limit">The counter's cap.</param>
public sealed record BudgetCharge(string Key, decimal Amount, decimal Limit);
