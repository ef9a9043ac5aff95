namespace Countersign.Evidence;

/// <summary>A denied call, an overrun or a contract violation in an evidence report.</summary>
/// <param name="ActionId">The call (or the governance event).</param>
/// <param name="Tool">The tool.</param>
/// <param name="AgentId">The agent, if any.</param>
/// <param name="At">When.</param>
/// <param name="Code">The denial code (<c>policy</c>, <c>reviewer</c>, <c>budget_exceeded</c>, ...) or the event (<c>budget_overrun</c>, <c>contract_violated</c>).</param>
/// <param name="Reasons">The reasons recorded.</param>
public sealed record EvidenceDenial(string ActionId, string Tool, string? AgentId, DateTimeOffset At, string Code, IReadOnlyList<string> Reasons);
