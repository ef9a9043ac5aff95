namespace Countersign.Governance;

/// <summary>Adds loop detection to a gate.</summary>
public static class LoopGateBuilderExtensions
{
    /// <summary>Adds loop detection: the same tool with the same payload repeated too often within a window, per agent and session, is denied (and optionally halts the agent).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; called at once, and again adds to what earlier calls set.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddLoopDetection(this ActionGateBuilder builder, Action<LoopOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Governance.Loops ??= new LoopOptions();
        configure?.Invoke(options);
        return builder;
    }
}
