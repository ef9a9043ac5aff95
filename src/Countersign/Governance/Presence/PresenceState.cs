namespace Countersign.Governance;

/// <summary>Whether an agent is at work, as the gate sees it.</summary>
public enum PresenceState
{
    /// <summary>It called the gate or sent a heartbeat within <see cref="PresenceOptions.IdleAfter"/>.</summary>
    Live = 0,

    /// <summary>Silent for longer than <see cref="PresenceOptions.IdleAfter"/>.</summary>
    Idle = 1,

    /// <summary>Silent for longer than <see cref="PresenceOptions.UnresponsiveAfter"/>.</summary>
    Unresponsive = 2,

    /// <summary>Halted by an operator (or by loops or contracts), whatever its activity.</summary>
    Halted = 3,
}
