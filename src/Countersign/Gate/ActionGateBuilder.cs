using System.Diagnostics.Metrics;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Serialization;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign;

/// <summary>
/// Composes an <see cref="ActionGate"/>: its policy, store, audit log, channels and settings. Without a store the gate
/// keeps approvals and the audit log in memory; without a policy every call needs approval (the safe default).
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
    private readonly List<IApprovalChannel> _channels = [];
    private readonly List<Action<CountersignOptions>> _configure = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private ActionPolicy? _policy;
    private string? _policyPath;
    private IApprovalStore? _store;
    private IAuditLog? _audit;
    private PayloadHasher? _hasher;
    private TimeProvider _timeProvider = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IMeterFactory? _meterFactory;
    private Func<string, string?>? _environment;

    /// <summary>Changes the gate's settings.</summary>
    /// <param name="configure">Sets options; runs before environment overrides are applied.</param>
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

    /// <summary>Uses <paramref name="store"/> for approval requests.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseApprovalStore(IApprovalStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Uses <paramref name="auditLog"/> for the audit trail.</summary>
    /// <param name="auditLog">The audit log.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseAuditLog(IAuditLog auditLog)
    {
        _audit = auditLog ?? throw new ArgumentNullException(nameof(auditLog));
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

    /// <summary>Adds a channel that notifies reviewers of pending requests.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder AddChannel(IApprovalChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels.Add(channel);
        return this;
    }

    /// <summary>Uses <paramref name="timeProvider"/> for every clock and timer.</summary>
    /// <param name="timeProvider">The time provider.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Uses <paramref name="loggerFactory"/> for the gate's logs.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    public ActionGateBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Uses <paramref name="meterFactory"/> to create the <c>Countersign</c> meter.</summary>
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

    /// <summary>Hands the gate a resource to dispose when the gate is disposed, such as a store opened by <c>UseSqlite</c>.</summary>
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
    public ActionGate Build()
    {
        var options = new CountersignOptions();
        foreach (var configure in _configure)
        {
            configure(options);
        }

        return Build(options);
    }

    internal ActionGate Build(CountersignOptions configured)
    {
        var options = configured.Clone();
        if (options.ReadEnvironment)
        {
            CountersignEnvironment.Apply(options, _environment);
        }

        options.Validate();
        var policy = _policy
            ?? (_policyPath ?? options.PolicyPath) switch
            {
                { } path => PolicyLoader.LoadFile(path),
                null => ActionPolicy.RequireApprovalForAll,
            };

        var store = _store ?? new InMemoryApprovalStore();
        var audit = _audit ?? new InMemoryAuditLog(AuditKeyRing.CreateEphemeral());
        var hasher = _hasher ?? PayloadHasher.CreateEphemeral();
        ILogger logger = new NeverThrowingLogger(_loggerFactory.CreateLogger("Countersign.Gate"));
        return new ActionGate(policy, store, audit, hasher, [.. _channels], options, _timeProvider, logger, new GateMetrics(_meterFactory), [.. _owned]);
    }
}
