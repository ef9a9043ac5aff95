using System.Diagnostics.Metrics;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Channels;
using Countersign.Execution;
using Countersign.Governance;
using Countersign.Notifications;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Serialization;
using Countersign.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Countersign;

/// <summary>
/// Composes an <see cref="ActionGate"/>: its policy, store, channels, stages and settings. The same builder works on
/// its own (<c>new ActionGateBuilder()...Build()</c>) and in a service collection (<c>services.AddCountersign()</c>
/// returns one), where components may come from the container. Without a store the gate keeps everything in memory;
/// without a policy every call needs approval (the safe default).
/// </summary>
/// <example>
/// <code>
/// var gate = new ActionGateBuilder()
///     .UsePolicyFile("countersign.yaml")
///     .AddChannel(new ConsoleApprovalChannel())
///     .Build();
/// </code>
/// </example>
public sealed class ActionGateBuilder
{
    private readonly List<Func<IServiceProvider, IApprovalChannel>> _channels = [];
    private readonly List<Func<IServiceProvider, GateStage>> _stagesBeforePolicy = [];
    private readonly List<Func<IServiceProvider, GateStage>> _stagesBeforeExecution = [];
    private readonly List<Action<CountersignOptions>> _configure = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private ActionPolicy? _policy;
    private string? _policyPath;
    private Func<IServiceProvider, ICountersignStore>? _store;

    // The named options of a keyed gate; null takes the default options.
    private readonly string? _optionsName;
    private bool _disposeStore;
    private IApprovalStore? _approvals;
    private IAuditLog? _audit;
    private IExecutionLedger? _ledger;
    private INotificationOutbox? _outbox;
    private readonly NotificationDispatcherOptions _notifications = new();
    private PayloadHasher? _hasher;
    private TimeProvider? _timeProvider;
    private ILoggerFactory? _loggerFactory;
    private IMeterFactory? _meterFactory;
    private Func<string, string?>? _environment;
    private Func<OnApprovalRequestedArguments, ValueTask>? _onApprovalRequested;
    private Func<OnApprovalDecidedArguments, ValueTask>? _onApprovalDecided;
    private Func<OnDeniedArguments, ValueTask>? _onDenied;

    /// <summary>Creates a builder for a gate used without dependency injection.</summary>
    public ActionGateBuilder()
    {
    }

    internal ActionGateBuilder(IServiceCollection services, string? optionsName = null)
    {
        Services = services;
        _optionsName = optionsName;
    }

    internal GovernanceSettings Governance { get; } = new();

    /// <summary>Gets the service collection when the builder came from <c>services.AddCountersign()</c>; otherwise <see langword="null"/>.</summary>
    public IServiceCollection? Services { get; }

    /// <summary>Changes the gate's settings.</summary>
    /// <param name="configure">Sets options; runs after configuration binding and before environment overrides.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder Configure(Action<CountersignOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure.Add(configure);
        return this;
    }

    /// <summary>Uses a policy built in code.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UsePolicy(ActionPolicy policy)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _policyPath = null;
        return this;
    }

    /// <summary>Loads the policy from a YAML or JSON file when the gate is built.</summary>
    /// <param name="path">The file.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UsePolicyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _policyPath = path;
        _policy = null;
        return this;
    }

    /// <summary>Keeps approvals, the audit log, the execution ledger and the hash key in one store, created when the gate is built.</summary>
    /// <param name="factory">Opens the store; receives the container (or an empty provider without dependency injection).</param>
    /// <param name="disposeWithGate">Whether the gate disposes the store (when it is disposable) with itself.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseStore(Func<IServiceProvider, ICountersignStore> factory, bool disposeWithGate = true)
    {
        _store = factory ?? throw new ArgumentNullException(nameof(factory));
        _disposeStore = disposeWithGate;
        return this;
    }

    /// <summary>Uses <paramref name="store"/> for approvals, overriding the store's own.</summary>
    /// <param name="store">The approval store.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseApprovalStore(IApprovalStore store)
    {
        _approvals = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Uses <paramref name="auditLog"/> for the audit trail, overriding the store's own.</summary>
    /// <param name="auditLog">The audit log.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseAuditLog(IAuditLog auditLog)
    {
        _audit = auditLog ?? throw new ArgumentNullException(nameof(auditLog));
        return this;
    }

    /// <summary>Uses <paramref name="ledger"/> to hold each idempotency key's one execution, overriding the store's own.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseExecutionLedger(IExecutionLedger ledger)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        return this;
    }

    /// <summary>Uses <paramref name="outbox"/> to record channel deliveries, overriding the store's own.</summary>
    /// <param name="outbox">The notification outbox; it should live where the approvals do, for deliveries to be shared by every process.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseNotificationOutbox(INotificationOutbox outbox)
    {
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        return this;
    }

    /// <summary>Keeps halts, budgets and presence in <paramref name="store"/>, overriding the store's own (<see cref="IGovernedStore"/>).</summary>
    /// <param name="store">The governance state; it should live where the other processes' gates find it.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseGovernanceStore(IGovernanceStore store)
    {
        Governance.Store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Changes how the gate's <see cref="NotificationDispatcher"/> retries and leases channel deliveries.</summary>
    /// <param name="configure">Sets the options; they are checked when the gate is built.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder ConfigureNotifications(Action<NotificationDispatcherOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_notifications);
        return this;
    }

    /// <summary>Uses <paramref name="hasher"/> to bind approvals to payloads; its key must be stable across restarts for requests to re-attach.</summary>
    /// <param name="hasher">The hasher.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UsePayloadHasher(PayloadHasher hasher)
    {
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        return this;
    }

    /// <summary>Adds a channel that notifies reviewers of pending approvals; with any channel, the gate runs a <see cref="NotificationDispatcher"/>.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder AddChannel(IApprovalChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels.Add(_ => channel);
        return this;
    }

    /// <summary>Adds a channel created when the gate is built, from the container.</summary>
    /// <param name="factory">Creates the channel.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder AddChannel(Func<IServiceProvider, IApprovalChannel> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _channels.Add(factory);
        return this;
    }

    /// <summary>
    /// Adds a stage of your own. Stages run in the order they are added, at <paramref name="placement"/>: before the
    /// policy (where governance stages such as scope and halt belong), or after the approval, just before the call is released.
    /// </summary>
    /// <param name="stage">The stage; shared by every call, so thread-safe.</param>
    /// <param name="placement">Where the stage runs.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder AddStage(GateStage stage, GateStagePlacement placement = GateStagePlacement.BeforePolicy)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return AddStage(_ => stage, placement);
    }

    /// <summary>Adds a stage of your own, created when the gate is built, from the container.</summary>
    /// <param name="factory">Creates the stage.</param>
    /// <param name="placement">Where the stage runs.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder AddStage(Func<IServiceProvider, GateStage> factory, GateStagePlacement placement = GateStagePlacement.BeforePolicy)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (placement switch
        {
            GateStagePlacement.BeforePolicy => _stagesBeforePolicy,
            GateStagePlacement.BeforeExecution => _stagesBeforeExecution,
            _ => throw new ArgumentOutOfRangeException(nameof(placement), placement, "Not a stage placement."),
        }).Add(factory);
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> whenever a call creates an approval, before it waits; the arguments carry the approval's id.</summary>
    /// <param name="callback">The callback; its exception is logged and never changes the decision.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder OnApprovalRequested(Func<OnApprovalRequestedArguments, ValueTask> callback)
    {
        _onApprovalRequested = callback ?? throw new ArgumentNullException(nameof(callback));
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> when an approval a call waited for is granted, denied or expires.</summary>
    /// <param name="callback">The callback; its exception is logged and never changes the decision.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder OnApprovalDecided(Func<OnApprovalDecidedArguments, ValueTask> callback)
    {
        _onApprovalDecided = callback ?? throw new ArgumentNullException(nameof(callback));
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> whenever a call is denied, for any reason.</summary>
    /// <param name="callback">The callback; its exception is logged and never changes the decision.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder OnDenied(Func<OnDeniedArguments, ValueTask> callback)
    {
        _onDenied = callback ?? throw new ArgumentNullException(nameof(callback));
        return this;
    }

    /// <summary>Uses <paramref name="timeProvider"/> for every clock and timer (default: the container's, or the system clock).</summary>
    /// <param name="timeProvider">The time provider.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Uses <paramref name="loggerFactory"/> for the gate's logs (default: the container's, or none).</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Uses <paramref name="meterFactory"/> to create the <c>Countersign</c> meter (default: the container's).</summary>
    /// <param name="meterFactory">The meter factory.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseMeterFactory(IMeterFactory meterFactory)
    {
        _meterFactory = meterFactory ?? throw new ArgumentNullException(nameof(meterFactory));
        return this;
    }

    /// <summary>Reads <c>COUNTERSIGN_*</c> variables through <paramref name="getVariable"/> instead of the process environment.</summary>
    /// <param name="getVariable">Reads one variable.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseEnvironment(Func<string, string?> getVariable)
    {
        _environment = getVariable ?? throw new ArgumentNullException(nameof(getVariable));
        return this;
    }

    /// <summary>Hands the gate a resource to dispose when the gate is disposed.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder DisposeWithGate(IAsyncDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _owned.Add(resource);
        return this;
    }

    /// <summary>Validates the settings, loads the policy and builds the gate. The gate's settings are frozen from here on.</summary>
    /// <returns>The gate.</returns>
    /// <exception cref="ArgumentException">A setting or an environment variable is invalid; all problems are listed.</exception>
    /// <exception cref="PolicyLoadException">The policy file is malformed.</exception>
    public ActionGate Build() => Build(EmptyServiceProvider.Instance);

    /// <summary>Builds the gate, taking the clock, logging, metrics and options from <paramref name="services"/> where this builder sets none.</summary>
    /// <param name="services">The container.</param>
    /// <returns>The gate.</returns>
    /// <exception cref="ArgumentException">A setting or an environment variable is invalid; all problems are listed.</exception>
    /// <exception cref="PolicyLoadException">The policy file is malformed.</exception>
    public ActionGate Build(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = _optionsName is null
            ? services.GetService<IOptions<CountersignOptions>>()?.Value
            : services.GetService<IOptionsMonitor<CountersignOptions>>()?.Get(_optionsName);
        var options = registered?.Clone() ?? new CountersignOptions();
        foreach (var configure in _configure)
        {
            configure(options);
        }

        if (options.ReadEnvironment)
        {
            CountersignEnvironment.Apply(options, _environment);
        }

        options.Validate();
        _notifications.Validate();
        var policy = _policy
            ?? (_policyPath ?? options.PolicyPath) switch
            {
                { } path => PolicyLoader.LoadFile(path),
                null => ActionPolicy.RequireApprovalForAll,
            };

        var timeProvider = _timeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = _loggerFactory ?? services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        ILogger logger = new NeverThrowingLogger(loggerFactory.CreateLogger("Countersign.Gate"));
        var telemetry = new GateTelemetry(logger, new GateMetrics(_meterFactory ?? services.GetService<IMeterFactory>()), timeProvider);

        List<IAsyncDisposable> owned = [.. _owned];
        var store = _store?.Invoke(services);
        if (store is IAsyncDisposable disposable && _disposeStore)
        {
            owned.Add(disposable);
        }

        var approvals = _approvals ?? store?.Approvals ?? new InMemoryApprovalStore();
        var audit = _audit ?? store?.AuditLog ?? new InMemoryAuditLog(AuditKeyRing.CreateEphemeral());
        var ledger = _ledger ?? store?.Executions ?? new InMemoryExecutionLedger();
        var hasher = _hasher ?? store?.PayloadHasher ?? PayloadHasher.CreateEphemeral();

        var reviews = new ReviewRecorder(approvals, audit, timeProvider, options.GrantValidity, logger);
        var auditWriter = new GateAuditWriter(audit, telemetry);
        var callbacks = new GateCallbacks(_onApprovalRequested, _onApprovalDecided, _onDenied, telemetry);
        var policyStage = new PolicyStage(policy, telemetry);
        var execution = new ExecutionStage(approvals, ledger, timeProvider);
        IApprovalChannel[] channels = [.. _channels.Select(factory => factory(services))];

        var governance = Governance.Build(store, policy, auditWriter, timeProvider, telemetry);
        owned.InsertRange(0, governance.Owned);
        List<GateStage> stages = [.. governance.BeforePolicy];
        stages.AddRange(_stagesBeforePolicy.Select(factory => factory(services)));
        stages.Add(policyStage);
        stages.Add(new ModeStage(options.EnforcementMode, options.SamplePercent));
        stages.Add(new ApprovalStage(approvals, options, callbacks, auditWriter, timeProvider, telemetry));
        stages.AddRange(governance.BeforeExecution);
        stages.AddRange(_stagesBeforeExecution.Select(factory => factory(services)));
        stages.Add(execution);

        var pipeline = new GatePipeline(
            new ValidationStage(hasher, options.MaxPayloadBytes), [.. stages], execution, auditWriter, callbacks, options, timeProvider, telemetry);
        if (channels.Length > 0)
        {
            var outbox = _outbox ?? store?.Notifications ?? new InMemoryNotificationOutbox();
            var dispatcher = new NotificationDispatcher(approvals, outbox, channels, reviews, timeProvider, _notifications, loggerFactory.CreateLogger<NotificationDispatcher>());

            // Stopped before the store it writes to is closed.
            owned.Insert(0, dispatcher);
            dispatcher.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        return new ActionGate(pipeline, policyStage, approvals, audit, ledger, hasher, reviews, governance.Governance, options, telemetry, owned);
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
