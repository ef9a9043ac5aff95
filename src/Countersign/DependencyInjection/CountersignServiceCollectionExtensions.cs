using System.Diagnostics.Metrics;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Countersign.DependencyInjection;

/// <summary>Registers Countersign in a service collection.</summary>
public static class CountersignServiceCollectionExtensions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "Countersign";

    /// <summary>
    /// Registers a singleton <see cref="ActionGate"/>. Options come from the <c>Countersign</c> configuration section (when an
    /// <see cref="IConfiguration"/> is registered), then <paramref name="configure"/>, then the <c>COUNTERSIGN_*</c> environment
    /// variables. Without a store package the gate keeps approvals and audit in memory; without a policy every call needs approval.
    /// Also registers the <see cref="ApprovalExpirySweeper"/> as a hosted service, configured from the
    /// <c>Countersign:ExpirySweeper</c> section and <see cref="CountersignBuilder.ConfigureExpirySweeper"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code.</param>
    /// <returns>A builder to choose the policy, channels and store.</returns>
    public static CountersignBuilder AddCountersign(this IServiceCollection services, Action<CountersignOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<CountersignOptions>();
        options.Configure<IServiceProvider>(static (o, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(ConfigurationSection).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure(static o =>
        {
            if (o.ReadEnvironment)
            {
                CountersignEnvironment.Apply(o);
            }
        });
        options.Validate(static o =>
        {
            o.Validate();
            return true;
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ActionPolicy>(static provider =>
        {
            var path = provider.GetRequiredService<IOptions<CountersignOptions>>().Value.PolicyPath;
            return path is null ? ActionPolicy.RequireApprovalForAll : PolicyLoader.LoadFile(path);
        });
        services.TryAddSingleton<IApprovalStore>(static _ => new InMemoryApprovalStore());
        services.TryAddSingleton<IAuditLog>(static _ => new InMemoryAuditLog(AuditKeyRing.CreateEphemeral()));
        services.TryAddSingleton(static _ => PayloadHasher.CreateEphemeral());
        services.TryAddSingleton(static provider =>
        {
            var resolved = provider.GetRequiredService<IOptions<CountersignOptions>>().Value;
            var builder = new ActionGateBuilder()
                .UsePolicy(provider.GetRequiredService<ActionPolicy>())
                .UseApprovalStore(provider.GetRequiredService<IApprovalStore>())
                .UseAuditLog(provider.GetRequiredService<IAuditLog>())
                .UsePayloadHasher(provider.GetRequiredService<PayloadHasher>())
                .UseTimeProvider(provider.GetRequiredService<TimeProvider>());
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            if (provider.GetService<IMeterFactory>() is { } meterFactory)
            {
                builder.UseMeterFactory(meterFactory);
            }

            foreach (var channel in provider.GetServices<IApprovalChannel>())
            {
                builder.AddChannel(channel);
            }

            // Environment overrides were applied by PostConfigure already.
            var settled = resolved.Clone();
            settled.ReadEnvironment = false;
            return builder.Build(settled);
        });
        services.TryAddSingleton(static provider => provider.GetRequiredService<ActionGate>().Reviews);
        AddExpirySweeper(services);
        return new CountersignBuilder(services);
    }

    private static void AddExpirySweeper(IServiceCollection services)
    {
        services.AddOptions<ApprovalExpirySweeperOptions>()
            .Configure<IServiceProvider>(static (o, provider) =>
                provider.GetService<IConfiguration>()?.GetSection(ConfigurationSection + ":ExpirySweeper").Bind(o))
            .Validate(static o =>
            {
                o.Validate();
                return true;
            });
        services.TryAddSingleton(static provider => new ApprovalExpirySweeper(
            provider.GetRequiredService<IApprovalStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<ApprovalExpirySweeperOptions>>().Value,
            provider.GetService<ILogger<ApprovalExpirySweeper>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ApprovalExpirySweeper>(static provider => provider.GetRequiredService<ApprovalExpirySweeper>()));
    }
}
