using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Hosting;
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
    /// Registers a singleton <see cref="ActionGate"/>, built on first use by the returned builder. Options come from the
    /// <c>Countersign</c> configuration section (when an <see cref="IConfiguration"/> is registered), then
    /// <paramref name="configure"/>, then the <c>COUNTERSIGN_*</c> environment variables. The gate's store, audit log,
    /// ledger, hasher and review recorder are registered too, resolved from the gate, and the
    /// <see cref="ApprovalExpirySweeper"/> runs as a hosted service (section <c>Countersign:ExpirySweeper</c>, or
    /// <see cref="ExpirySweeperGateBuilderExtensions.ConfigureExpirySweeper"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code.</param>
    /// <returns>The builder that composes the gate: <c>UsePolicy</c>, <c>AddChannel</c>, <c>UseSqlite</c>, <c>AddStage</c>...</returns>
    public static ActionGateBuilder AddCountersign(this IServiceCollection services, Action<CountersignOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        AddGateOptions(services.AddOptions<CountersignOptions>(), ConfigurationSection, configure);

        var builder = new ActionGateBuilder(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(builder.Build);
        services.TryAddSingleton<IApprovalStore>(static provider => provider.GetRequiredService<ActionGate>().Approvals);
        services.TryAddSingleton<IAuditLog>(static provider => provider.GetRequiredService<ActionGate>().AuditLog);
        services.TryAddSingleton<IExecutionLedger>(static provider => provider.GetRequiredService<ActionGate>().Executions);
        services.TryAddSingleton<PayloadHasher>(static provider => provider.GetRequiredService<ActionGate>().PayloadHasher);
        services.TryAddSingleton(static provider => provider.GetRequiredService<ActionGate>().Reviews);
        AddExpirySweeper(services);
        AddHostedStartup(services);
        return builder;
    }

    /// <summary>
    /// Registers a gate under <paramref name="key"/>, beside any others, for apps that guard different things
    /// differently (a strict gate for payments, a lenient one for reads): resolve it with
    /// <c>[FromKeyedServices("payments")] ActionGate gate</c> or <c>GetRequiredKeyedService&lt;ActionGate&gt;("payments")</c>.
    /// Its options are the named options <paramref name="key"/>, bound from <c>Countersign:Gates:{key}</c>, then
    /// <paramref name="configure"/>, then the <c>COUNTERSIGN_*</c> environment variables; its approval store, audit log,
    /// ledger and review recorder are keyed services too. It opens at start-up and its pending approvals expire on
    /// schedule, as the default gate's do.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="key">The gate's key.</param>
    /// <param name="configure">Sets options in code.</param>
    /// <returns>The builder that composes this gate.</returns>
    public static ActionGateBuilder AddKeyedCountersign(this IServiceCollection services, string key, Action<CountersignOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);

        AddGateOptions(services.AddOptions<CountersignOptions>(key), $"{ConfigurationSection}:Gates:{key}", configure);
        var builder = new ActionGateBuilder(services, key);
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(key, (provider, _) => builder.Build(provider));
        services.AddKeyedSingleton<IApprovalStore>(key, static (provider, k) => provider.GetRequiredKeyedService<ActionGate>(k).Approvals);
        services.AddKeyedSingleton<IAuditLog>(key, static (provider, k) => provider.GetRequiredKeyedService<ActionGate>(k).AuditLog);
        services.AddKeyedSingleton<IExecutionLedger>(key, static (provider, k) => provider.GetRequiredKeyedService<ActionGate>(k).Executions);
        services.AddKeyedSingleton(key, static (provider, k) => provider.GetRequiredKeyedService<ActionGate>(k).Reviews);
        services.AddSingleton<IHostedService>(provider => new KeyedGateHostedService(provider, key));
        return builder;
    }

    private static void AddGateOptions(OptionsBuilder<CountersignOptions> options, string section, Action<CountersignOptions>? configure)
    {
        options.Configure<IServiceProvider>((o, provider) => provider.GetService<IConfiguration>()?.GetSection(section).Bind(o));
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
        options.ValidateOnStart();
        options.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CountersignOptions>, CountersignOptionsValidator>());
    }

    private static void AddHostedStartup(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GateStartupService>());
        services.AddOptions<AuditVerificationOptions>()
            .Configure<IServiceProvider>(static (o, provider) =>
                provider.GetService<IConfiguration>()?.GetSection(ConfigurationSection + ":AuditVerification").Bind(o))
            .Validate(static o => o.FindProblems().Count == 0, "AuditVerification:Interval must be at least one minute.")
            .ValidateOnStart();
        services.TryAddSingleton<AuditVerificationService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditVerificationService>(static provider => provider.GetRequiredService<AuditVerificationService>()));
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
            provider.GetRequiredService<IAuditLog>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<ApprovalExpirySweeperOptions>>().Value,
            provider.GetService<ILogger<ApprovalExpirySweeper>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ApprovalExpirySweeper>(static provider => provider.GetRequiredService<ApprovalExpirySweeper>()));
    }
}
