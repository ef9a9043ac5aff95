namespace Countersign.Governance;

/// <summary>One agent as the presence query lists it.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="State">Its presence now.</param>
/// <param name="LastCallAt">Its last call to the gate, if any (activity is written at most every <see cref="PresenceOptions.ActivityWriteInterval"/>).</param>
/// <param name="LastHeartbeatAt">Its last heartbeat, if any.</param>
/// <param name="HaltedBy">Who halted it, when it is halted.</param>
/// <param name="HaltReason">Why, when it is halted.</param>
public sealed record AgentPresence(string AgentId, PresenceState State, DateTimeOffset? LastCallAt, DateTimeOffset? LastHeartbeatAt, string? HaltedBy, string? HaltReason);
