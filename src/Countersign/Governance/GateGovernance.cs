using Countersign.Pipeline;
using Countersign.Telemetry;
using Countersign.Text;

namespace Countersign.Governance;

/// <summary>
/// The operator's side of governance, from <see cref="ActionGate.Governance"/>: halt and resume agents, ask what an
/// agent may use, record heartbeats and model usage, list agents' presence. Every halt, resume and presence change is
/// written to the gate's audit log.
/// </summary>
public sealed class GateGovernance
{
    private readonly IGovernanceStore? _store;
    private readonly GateAuditWriter _audit;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    internal GateGovernance(IGovernanceStore? store, GateAuditWriter audit, TimeProvider timeProvider, GateTelemetry telemetry, AgentScopes scopes)
    {
        _store = store;
        _audit = audit;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        Scopes = scopes;
    }

    /// <summary>Gets the agents' scopes (unrestricted when none are configured).</summary>
    public AgentScopes Scopes { get; }

    /// <summary>Gets the store's governance state, or <see langword="null"/> when the gate's store keeps none.</summary>
    public IGovernanceStore? Store => _store;

    internal HaltOptions? HaltOptions { get; set; }

    internal BudgetCounters? Budgets { get; set; }

    internal PresenceMonitor? Presence { get; set; }

    private IGovernanceStore RequiredStore => _store
        ?? throw new InvalidOperationException("The gate's store keeps no governance state (it does not implement IGovernedStore); use a store that does, or UseGovernanceStore(...).");

    /// <summary>Whether <paramref name="agentId"/> may use <paramref name="toolName"/>; use it to hide out-of-scope tools from a model.</summary>
    /// <param name="agentId">The agent, or <see langword="null"/>.</param>
    /// <param name="toolName">The tool.</param>
    /// <returns>Whether the tool is in the agent's scope.</returns>
    public bool IsInScope(string? agentId, string toolName) => Scopes.IsInScope(agentId, toolName);

    /// <summary>Halts <paramref name="agentId"/> (or every agent with <see cref="AgentHalt.AllAgents"/>): its calls are denied, in every process on the store, until it is resumed.</summary>
    /// <param name="agentId">The agent, or <see cref="AgentHalt.AllAgents"/>.</param>
    /// <param name="haltedBy">The operator.</param>
    /// <param name="reason">Why; the halted agent's calls are denied with it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the halt was recorded, <see langword="false"/> when the agent was already halted.</returns>
    /// <exception cref="CountersignStoreException">The halt or its audit entry could not be written (a halt written stays in force).</exception>
    public ValueTask<bool> HaltAsync(string agentId, string haltedBy, string reason, CancellationToken cancellationToken = default) =>
        HaltCoreAsync(agentId, haltedBy, reason, "operator", cancellationToken);

    /// <summary>Ends the halt of <paramref name="agentId"/>; the resume is audited first, so a resume that cannot be audited leaves the halt in force.</summary>
    /// <param name="agentId">The agent, or <see cref="AgentHalt.AllAgents"/>.</param>
    /// <param name="resumedBy">The operator.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a halt was ended, <see langword="false"/> when the agent was not halted.</returns>
    /// <exception cref="CountersignStoreException">The resume could not be audited or written.</exception>
    public async ValueTask<bool> ResumeAsync(string agentId, string resumedBy, string reason, CancellationToken cancellationToken = default)
    {
        CheckName(agentId, nameof(agentId));
        CheckName(resumedBy, nameof(resumedBy));
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var store = RequiredStore;
        var halts = await store.GetHaltsAsync(cancellationToken).ConfigureAwait(false);
        if (!halts.TryGetValue(agentId, out var halt))
        {
            return false;
        }

        await _audit.CommitAsync(GovernanceEvents.Resumed(halt, resumedBy, Bounded(reason), _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var removed = await store.ResumeAsync(agentId, cancellationToken).ConfigureAwait(false) is not null;
        if (removed && Presence is { } presence)
        {
            await presence.RefreshAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>Lists the halts in force.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The halts, by agent id.</returns>
    public async ValueTask<IReadOnlyList<AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default) =>
        [.. (await RequiredStore.GetHaltsAsync(cancellationToken).ConfigureAwait(false)).Values.OrderBy(h => h.AgentId, StringComparer.Ordinal)];

    /// <summary>Records that <paramref name="agentId"/> is alive without making a call.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the heartbeat is recorded.</returns>
    public ValueTask HeartbeatAsync(string agentId, CancellationToken cancellationToken = default)
    {
        CheckName(agentId, nameof(agentId));
        return PresenceRequired.HeartbeatAsync(agentId, cancellationToken);
    }

    /// <summary>Lists every agent seen, with its presence, last call and heartbeat, and who halted it.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The agents, by id.</returns>
    public ValueTask<IReadOnlyList<AgentPresence>> GetAgentsAsync(CancellationToken cancellationToken = default) => PresenceRequired.GetAgentsAsync(cancellationToken);

    /// <summary>Works out every agent's presence now and records (and audits) each change; the gate also does it every <see cref="PresenceOptions.CheckInterval"/>.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The changes this call recorded.</returns>
    public ValueTask<IReadOnlyList<PresenceChange>> RefreshPresenceAsync(CancellationToken cancellationToken = default) => PresenceRequired.RefreshAsync(cancellationToken);

    /// <summary>
    /// Records a model call's tokens and USD on the agent's token and USD budgets (priced from the model price table when
    /// <see cref="ModelUsage.CostUsd"/> is not given). Usage past a cap is recorded and audited as an overrun; the agent's
    /// next gated call is denied.
    /// </summary>
    /// <param name="usage">The usage.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The cost in USD recorded, or <see langword="null"/> when the model has no price and none was given.</returns>
    /// <exception cref="InvalidOperationException">No budget is configured.</exception>
    public async ValueTask<decimal?> RecordModelUsageAsync(ModelUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        CheckName(usage.AgentId, nameof(usage));
        ArgumentOutOfRangeException.ThrowIfNegative(usage.InputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.OutputTokens);
        var budgets = Budgets ?? throw new InvalidOperationException("No budget is configured; add one with AddBudget(...).");
        decimal? usd = usage.CostUsd;
        if (usd is null && usage.Model is { } model && budgets.Prices.TryGetPrice(model, out var price))
        {
            usd = price.Price(usage.InputTokens, usage.OutputTokens);
        }

        var charges = budgets.ForModelUsage(usage, usd ?? 0, _timeProvider.GetUtcNow());
        if (charges.Count > 0)
        {
            var overruns = await RequiredStore.AddUsageAsync(charges, cancellationToken).ConfigureAwait(false);
            if (overruns.Count > 0)
            {
                await ReportOverrunAsync("gov_usage", "*", usage.AgentId, usage.SessionId, overruns).ConfigureAwait(false);
            }
        }

        return usd;
    }

    /// <summary>Reads one budget counter, by the key a denial names.</summary>
    /// <param name="key">The counter's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counter, or <see langword="null"/> when nothing was charged to it.</returns>
    public ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default) => RequiredStore.GetBudgetUsageAsync(key, cancellationToken);

    internal async ValueTask<bool> HaltCoreAsync(string agentId, string haltedBy, string reason, string source, CancellationToken cancellationToken)
    {
        CheckName(agentId, nameof(agentId));
        CheckName(haltedBy, nameof(haltedBy));
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var halt = new AgentHalt(agentId, haltedBy, Bounded(reason), _timeProvider.GetUtcNow());

        // The halt takes effect first; its audit entry follows, and a failure to write it is thrown to the operator.
        if (!await RequiredStore.HaltAsync(halt, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _audit.CommitAsync(GovernanceEvents.Halted(halt, source), cancellationToken).ConfigureAwait(false);
        await GovernanceCallback.InvokeAsync(HaltOptions?.OnHalted, () => new OnAgentHaltedArguments(halt, source), _telemetry, "OnHalted").ConfigureAwait(false);
        if (Presence is { } presence && agentId != AgentHalt.AllAgents)
        {
            await presence.RefreshAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    internal async ValueTask ReportOverrunAsync(string actionId, string toolName, string? agentId, string? sessionId, IReadOnlyList<BudgetUsage> overruns)
    {
        await _audit.AppendBestEffortAsync(GovernanceEvents.BudgetOverrun(actionId, toolName, agentId, sessionId, overruns, _timeProvider.GetUtcNow()), actionId).ConfigureAwait(false);
        await GovernanceCallback.InvokeAsync(Budgets?.Options.OnBudgetExceeded, () => new OnBudgetExceededArguments(agentId, toolName, overruns, denied: false), _telemetry, "OnBudgetExceeded").ConfigureAwait(false);
    }

    internal async ValueTask<bool> HasBudgetAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (Budgets is not { } budgets)
        {
            return true;
        }

        var charges = budgets.ForCall(context.Request, _timeProvider.GetUtcNow(), out var error);
        if (error is not null)
        {
            return false;
        }

        foreach (var charge in charges)
        {
            var usage = await RequiredStore.GetBudgetUsageAsync(charge.Key, cancellationToken).ConfigureAwait(false);
            if (usage is not null && !BudgetRules.HasRoom(usage.Used, usage.Reserved, 0, charge.Limit))
            {
                return false;
            }
        }

        return true;
    }

    private PresenceMonitor PresenceRequired => Presence ?? throw new InvalidOperationException("Presence is not configured; add it with AddPresence(...).");

    private static string Bounded(string text) => text.Length <= 1000 ? text : text[..1000] + "…";

    private static void CheckName(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > 256 || ReviewerText.ContainsUnsafeCharacter(value))
        {
            throw new ArgumentException($"'{ReviewerText.Neutralize(value, 100)}' must be at most 256 characters without control or format characters.", name);
        }
    }
}
