namespace Countersign.Governance;

/// <summary>An agent's presence changing, as recorded and audited.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="From">The state recorded before, or <see langword="null"/> for an agent seen for the first time.</param>
/// <param name="To">The new state.</param>
/// <param name="At">When the change was recorded.</param>
public sealed record PresenceChange(string AgentId, PresenceState? From, PresenceState To, DateTimeOffset At);
