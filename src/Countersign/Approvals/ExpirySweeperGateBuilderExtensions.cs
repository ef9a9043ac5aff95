using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Approvals;

/// <summary>Configures the hosted <see cref="ApprovalExpirySweeper"/> that <c>services.AddCountersign()</c> registers.</summary>
public static class ExpirySweeperGateBuilderExtensions
{
    /// <summary>Configures the expiry sweeper (its interval, or turning it off).</summary>
    /// <param name="builder">The builder <c>services.AddCountersign()</c> returned.</param>
    /// <param name="configure">Sets the sweeper's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>services.AddCountersign()</c>.</exception>
    public static ActionGateBuilder ConfigureExpirySweeper(this ActionGateBuilder builder, Action<ApprovalExpirySweeperOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services
            ?? throw new InvalidOperationException("The expiry sweeper runs as a hosted service; configure it on the builder services.AddCountersign() returns, or run ApprovalExpirySweeper.SweepAsync yourself.");
        services.Configure(configure);
        return builder;
    }
}
