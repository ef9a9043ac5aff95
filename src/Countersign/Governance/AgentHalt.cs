namespace Countersign.Governance;

/// <summary>An operator's halt of one agent, or of every agent: every call it makes is denied until it is resumed.</summary>
/// <param name="AgentId">The halted agent, or <see cref="AllAgents"/>.</param>
/// <param name="HaltedBy">The operator (or <c>loops</c>, <c>contracts</c> for an automatic halt).</param>
/// <param name="Reason">Why, as given; shown to the halted agent and recorded in the audit log.</param>
/// <param name="HaltedAt">When the halt was made.</param>
public sealed record AgentHalt(string AgentId, string HaltedBy, string Reason, DateTimeOffset HaltedAt)
{
    /// <summary>The agent id of a halt that stops every agent.</summary>
    public const string AllAgents = "*";
}
