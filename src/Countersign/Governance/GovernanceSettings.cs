using Countersign.Approvals;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>The governance stages a builder was given, turned into stages (in their fixed order) when the gate is built.</summary>
internal sealed class GovernanceSettings
{
    public HaltOptions? Halt { get; set; }

    public ScopeOptions? Scope { get; set; }

    public LoopOptions? Loops { get; set; }

    public BudgetOptions? Budget { get; set; }

    public ContractOptions? Contracts { get; set; }

    public PresenceOptions? Presence { get; set; }

    public IGovernanceStore? Store { get; set; }

    private bool NeedsStore => Halt is not null || Budget is not null || Presence is not null || Loops is { HaltAgent: true } || Contracts?.Contracts.Any(c => c.HaltOnViolation) == true;

    public GovernanceBuild Build(ICountersignStore? store, ActionPolicy policy, GateAuditWriter audit, TimeProvider timeProvider, GateTelemetry telemetry)
    {
        var errors = new List<string>();
        Scope?.Validate(errors);
        Loops?.Validate(errors);
        Budget?.Validate(errors);
        Contracts?.Validate(errors);
        Presence?.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid governance settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        var governanceStore = Store ?? (store as IGovernedStore)?.Governance ?? (store is null ? new InMemoryGovernanceStore() : null);
        if (governanceStore is null && NeedsStore)
        {
            throw new InvalidOperationException(
                $"Governance stages (halt, budgets, presence, halting on loops or contracts) keep their state in the store so every process sees it, but {store!.GetType().Name} keeps no governance state: it does not implement {nameof(IGovernedStore)}. Use a store that does (SqliteStore), or UseGovernanceStore(...).");
        }

        var scopes = CompileScopes(policy);
        var governance = new GateGovernance(governanceStore, audit, timeProvider, telemetry, scopes) { HaltOptions = Halt };
        List<GateStage> beforePolicy = [];
        List<GateStage> beforeExecution = [];
        List<IAsyncDisposable> owned = [];
        if (Presence is not null)
        {
            var monitor = new PresenceMonitor(governanceStore!, audit, Presence, timeProvider, telemetry);
            governance.Presence = monitor;
            owned.Add(monitor);

            // First, so a call counts as activity whatever the later stages decide.
            beforePolicy.Add(new PresenceStage(monitor));
        }

        if (Halt is not null)
        {
            beforePolicy.Add(new HaltStage(governanceStore!));
        }

        if (scopes.IsConfigured)
        {
            beforePolicy.Add(new ScopeStage(scopes, Scope?.OnOutOfScope, telemetry));
        }

        if (Loops is not null)
        {
            beforePolicy.Add(new LoopStage(Loops, governance, timeProvider, telemetry));
        }

        if (Budget is not null)
        {
            governance.Budgets = new BudgetCounters(Budget);
            beforePolicy.Add(new BudgetStage(governance.Budgets, governanceStore!, governance, timeProvider, telemetry));
        }

        if (Contracts is not null)
        {
            beforeExecution.Add(new ContractStage(Contracts, governance, audit, timeProvider, telemetry));
        }

        return new GovernanceBuild(governance, beforePolicy, beforeExecution, owned);
    }

    private AgentScopes CompileScopes(ActionPolicy policy)
    {
        var merged = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (agent, tools) in policy.Scopes)
        {
            merged[agent] = [.. tools];
        }

        foreach (var (agent, tools) in Scope?.Scopes ?? new Dictionary<string, IList<string>>())
        {
            if (!merged.TryGetValue(agent, out var list))
            {
                merged[agent] = list = [];
            }

            list.AddRange(tools);
        }

        return merged.Count == 0 && Scope?.DenyUnscopedAgents != true
            ? AgentScopes.Unrestricted
            : new AgentScopes(merged.ToDictionary(m => m.Key, m => (IReadOnlyList<string>)m.Value, StringComparer.Ordinal), Scope?.DenyUnscopedAgents == true);
    }
}

/// <summary>What <see cref="GovernanceSettings.Build"/> made: the operator API, the stages by placement and what the gate disposes.</summary>
internal sealed record GovernanceBuild(GateGovernance Governance, List<GateStage> BeforePolicy, List<GateStage> BeforeExecution, List<IAsyncDisposable> Owned);
