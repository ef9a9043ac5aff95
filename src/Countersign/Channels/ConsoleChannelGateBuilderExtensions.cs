namespace Countersign.Channels;

/// <summary>Adds the terminal reviewer to a gate.</summary>
public static class ConsoleChannelGateBuilderExtensions
{
    /// <summary>Adds the terminal reviewer: pending approvals are shown in the guarded process's terminal and answered there.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the terminal reviewer's options.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder AddConsoleChannel(this ActionGateBuilder builder, Action<ConsoleApprovalChannelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ConsoleApprovalChannelOptions();
        configure?.Invoke(options);
        return builder.AddChannel(new ConsoleApprovalChannel(options));
    }
}
