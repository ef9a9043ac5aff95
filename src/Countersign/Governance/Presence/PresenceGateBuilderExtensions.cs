namespace Countersign.Governance;

/// <summary>Adds presence to a gate.</summary>
public static class PresenceGateBuilderExtensions
{
    /// <summary>Adds presence: agents are live, idle, unresponsive or halted from their calls and heartbeats; changes are audited.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddPresence(this ActionGateBuilder builder, Action<PresenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Presence ??= new PresenceOptions();
        configure?.Invoke(options);
        return builder;
    }
}
