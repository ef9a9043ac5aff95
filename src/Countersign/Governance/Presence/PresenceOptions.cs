namespace Countersign.Governance;

/// <summary>What <see cref="PresenceGateBuilderExtensions.AddPresence"/> configures: when a silent agent is idle or unresponsive.</summary>
public sealed class PresenceOptions
{
    /// <summary>Gets or sets the silence after which an agent is idle. Default five minutes.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the silence after which an agent is unresponsive. Default thirty minutes.</summary>
    public TimeSpan UnresponsiveAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets or sets how often at most one process writes an agent's last call to the store; calls in between are
    /// coalesced, so the store sees activity this late at worst. Default one second.
    /// </summary>
    public TimeSpan ActivityWriteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how often the gate looks for agents that went idle or unresponsive (and audits it); <see langword="null"/> to only do it on <see cref="GateGovernance.RefreshPresenceAsync"/>. Default one minute.</summary>
    public TimeSpan? CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets a callback run for each presence change this process records.</summary>
    public Func<OnPresenceChangedArguments, ValueTask>? OnPresenceChanged { get; set; }

    internal void Validate(List<string> errors)
    {
        if (IdleAfter <= TimeSpan.Zero || UnresponsiveAfter <= IdleAfter)
        {
            errors.Add("Presence: IdleAfter must be more than zero and UnresponsiveAfter more than IdleAfter.");
        }

        if (ActivityWriteInterval < TimeSpan.Zero || ActivityWriteInterval >= IdleAfter)
        {
            errors.Add("Presence: ActivityWriteInterval must be zero or more and less than IdleAfter.");
        }

        if (CheckInterval <= TimeSpan.Zero)
        {
            errors.Add("Presence: CheckInterval must be more than zero.");
        }
    }
}
