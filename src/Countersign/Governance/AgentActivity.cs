namespace Countersign.Governance;

/// <summary>What the store knows of an agent's liveness: its last call, its last heartbeat and the state last audited.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="LastCallAt">When it last called the gate, if ever.</param>
/// <param name="LastHeartbeatAt">When it last sent a heartbeat, if ever.</param>
/// <param name="RecordedState">The presence state last recorded (and audited) for it, if any.</param>
public sealed record AgentActivity(string AgentId, DateTimeOffset? LastCallAt, DateTimeOffset? LastHeartbeatAt, string? RecordedState);
