using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Governance;
using Countersign.Policy;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.StoreConformance;

/// <summary>
/// The contract every <see cref="IGovernanceStore"/> meets, on its own and under a gate: halts kept until resumed and
/// seen by other instances within the change-detection interval, budgets reserved atomically (exactly one of many
/// racers takes the last unit, across instances), settled and released exactly, sessions and presence shared.
/// </summary>
public abstract class GovernanceStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _open = [];

    /// <summary>Gets the test's clock; stores and gates are given it.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Gets how long a change made through one instance may take to be seen by another.</summary>
    protected abstract TimeSpan ChangeDetectionInterval { get; }

    /// <summary>Opens a store on the test's database with <see cref="Clock"/>: the first call creates it, later calls open more instances of it.</summary>
    /// <returns>A store instance; the test disposes it.</returns>
    protected abstract Task<IGovernedStore> OpenStoreAsync();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            await _open[i].DisposeAsync();
        }
    }

    private async Task<IGovernanceStore> GovernanceAsync()
    {
        var store = await OpenStoreAsync();
        if (store is IAsyncDisposable disposable)
        {
            _open.Add(disposable);
        }

        return store.Governance;
    }

    private async Task<ActionGate> GateAsync(Action<ActionGateBuilder> configure, ActionPolicy? policy = null)
    {
        var store = await OpenStoreAsync();
        var builder = new ActionGateBuilder()
            .UsePolicy(policy ?? ActionPolicy.AllowAll)
            .UseStore(_ => store)
            .UseTimeProvider(Clock)
            .UseEnvironment(_ => null);
        configure(builder);
        var gate = builder.Build();
        _open.Add(gate);
        return gate;
    }

    private static ActionRequest Call(string tool, string agent = "agent-1", string session = "s-1", object? args = null) => new()
    {
        ToolName = tool,
        Arguments = ActionArguments.From(args ?? new { n = 1 }),
        AgentId = agent,
        SessionId = session,
    };

    private static async Task<List<AuditEntry>> EntriesAsync(IAuditLog log)
    {
        var entries = new List<AuditEntry>();
        await foreach (var record in log.ReadAsync())
        {
            entries.Add(record.Entry);
        }

        return entries;
    }

    [Fact]
    public async Task A_halt_is_kept_until_resumed_and_a_second_halt_keeps_the_first()
    {
        var store = await GovernanceAsync();
        var first = new AgentHalt("agent-1", "alice", "runaway refunds", Clock.GetUtcNow());

        Assert.True(await store.HaltAsync(first));
        Assert.False(await store.HaltAsync(first with { HaltedBy = "bob" }));
        Assert.Equal(first, (await store.GetHaltsAsync())["agent-1"]);
        Assert.Equal(first, await store.ResumeAsync("agent-1"));
        Assert.Null(await store.ResumeAsync("agent-1"));
        Assert.False((await store.GetHaltsAsync()).ContainsKey("agent-1"));
    }

    [Fact]
    public async Task A_halt_made_through_one_instance_is_seen_by_another_within_the_change_detection_interval()
    {
        var one = await GovernanceAsync();
        var other = await GovernanceAsync();
        Assert.Empty(await other.GetHaltsAsync());

        await one.HaltAsync(new AgentHalt(AgentHalt.AllAgents, "alice", "incident 42", Clock.GetUtcNow()));
        Clock.Advance(ChangeDetectionInterval);

        Assert.Equal("incident 42", (await other.GetHaltsAsync())[AgentHalt.AllAgents].Reason);
        await one.ResumeAsync(AgentHalt.AllAgents);
        Clock.Advance(ChangeDetectionInterval);
        Assert.Empty(await other.GetHaltsAsync());
    }

    [Fact]
    public async Task Exactly_one_of_many_concurrent_reservations_takes_the_last_unit()
    {
        var instances = new[] { await GovernanceAsync(), await GovernanceAsync() };
        await instances[0].TryReserveAsync("warm", [new BudgetCharge("race", 0, 1)]);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await instances[i % 2].TryReserveAsync($"r-{i}", [new BudgetCharge("race", 1, 1)]);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers);

        Assert.Single(results, r => r.IsReserved);
        Assert.All(results.Where(r => !r.IsReserved), r => Assert.Equal("race", r.Exhausted!.Key));
        Assert.Equal(new BudgetUsage("race", 0, 1, 1), await instances[1].GetBudgetUsageAsync("race"));
    }

    [Fact]
    public async Task A_reservation_takes_every_charge_or_none()
    {
        var store = await GovernanceAsync();
        await store.TryReserveAsync("full", [new BudgetCharge("b", 2, 2)]);

        var result = await store.TryReserveAsync("both", [new BudgetCharge("a", 1, 5), new BudgetCharge("b", 1, 2)]);

        Assert.False(result.IsReserved);
        Assert.Equal(new BudgetUsage("b", 0, 2, 2), result.Exhausted);
        Assert.Equal(0m, (await store.GetBudgetUsageAsync("a"))?.Reserved ?? 0m);
    }

    [Fact]
    public async Task Settling_adds_the_actual_amount_and_frees_the_reservation()
    {
        var store = await GovernanceAsync();
        await store.TryReserveAsync("r1", [new BudgetCharge("cost", 40, 100), new BudgetCharge("calls", 1, 10)]);

        var overruns = await store.SettleAsync("r1", new Dictionary<string, decimal> { ["cost"] = 35.5m });

        Assert.Empty(overruns);
        Assert.Equal(new BudgetUsage("cost", 35.5m, 0, 100), await store.GetBudgetUsageAsync("cost"));
        Assert.Equal(new BudgetUsage("calls", 1, 0, 10), await store.GetBudgetUsageAsync("calls"));
        Assert.Empty(await store.SettleAsync("r1", new Dictionary<string, decimal>()));
        Assert.Equal(35.5m, (await store.GetBudgetUsageAsync("cost"))!.Used);
    }

    [Fact]
    public async Task A_settlement_past_the_cap_is_reported_as_an_overrun()
    {
        var store = await GovernanceAsync();
        await store.TryReserveAsync("r1", [new BudgetCharge("cost", 10, 10)]);

        var overruns = await store.SettleAsync("r1", new Dictionary<string, decimal> { ["cost"] = 12 });

        Assert.Equal([new BudgetUsage("cost", 12, 0, 10)], overruns);
    }

    [Fact]
    public async Task Releasing_frees_the_reservation_and_unknown_ids_are_ignored()
    {
        var store = await GovernanceAsync();
        await store.TryReserveAsync("r1", [new BudgetCharge("calls", 1, 1)]);
        Assert.False((await store.TryReserveAsync("r2", [new BudgetCharge("calls", 1, 1)])).IsReserved);

        await store.ReleaseAsync("r1");
        await store.ReleaseAsync("never-made");

        Assert.True((await store.TryReserveAsync("r3", [new BudgetCharge("calls", 1, 1)])).IsReserved);
        Assert.Equal(new BudgetUsage("calls", 0, 1, 1), await store.GetBudgetUsageAsync("calls"));
    }

    [Fact]
    public async Task Amounts_add_up_exactly()
    {
        var store = await GovernanceAsync();
        Assert.True((await store.TryReserveAsync("a", [new BudgetCharge("usd", 0.1m, 0.3m)])).IsReserved);
        Assert.True((await store.TryReserveAsync("b", [new BudgetCharge("usd", 0.2m, 0.3m)])).IsReserved);
        Assert.False((await store.TryReserveAsync("c", [new BudgetCharge("usd", 0.000001m, 0.3m)])).IsReserved);
    }

    [Fact]
    public async Task A_check_only_charge_passes_under_the_cap_and_fails_at_it()
    {
        var store = await GovernanceAsync();
        Assert.True((await store.TryReserveAsync("a", [new BudgetCharge("tokens", 0, 100)])).IsReserved);

        var overruns = await store.AddUsageAsync([new BudgetCharge("tokens", 100, 100)]);

        Assert.Empty(overruns);
        Assert.False((await store.TryReserveAsync("b", [new BudgetCharge("tokens", 0, 100)])).IsReserved);
        Assert.Equal([new BudgetUsage("tokens", 101, 0, 100)], await store.AddUsageAsync([new BudgetCharge("tokens", 1, 100)]));
    }

    [Fact]
    public async Task A_session_keeps_its_first_start_across_instances()
    {
        var one = await GovernanceAsync();
        var other = await GovernanceAsync();
        var start = Clock.GetUtcNow();

        Assert.Equal(start, await one.GetOrStartSessionAsync("agent-1", "s-1", start));
        Assert.Equal(start, await other.GetOrStartSessionAsync("agent-1", "s-1", start.AddHours(1)));
        Assert.Equal(start.AddHours(1), await other.GetOrStartSessionAsync("agent-1", "s-2", start.AddHours(1)));
    }

    [Fact]
    public async Task Activity_keeps_the_latest_times_and_a_presence_change_is_recorded_once()
    {
        var one = await GovernanceAsync();
        var other = await GovernanceAsync();
        var now = Clock.GetUtcNow();
        await one.RecordActivityAsync("agent-1", now, null);
        await other.RecordActivityAsync("agent-1", now.AddMinutes(-5), now.AddMinutes(1));

        var activity = Assert.Single(await one.GetActivityAsync());

        Assert.Equal(new AgentActivity("agent-1", now, now.AddMinutes(1), null), activity);
        Assert.True(await one.TrySetPresenceStateAsync("agent-1", null, "live"));
        Assert.False(await other.TrySetPresenceStateAsync("agent-1", null, "live"));
        Assert.True(await other.TrySetPresenceStateAsync("agent-1", "live", "idle"));
        Assert.Equal("idle", Assert.Single(await one.GetActivityAsync()).RecordedState);
    }

    [Fact]
    public async Task A_halted_agent_is_denied_with_the_reason_until_resumed_and_both_are_audited()
    {
        var gate = await GateAsync(b => b.AddHalt());
        await gate.Governance.HaltAsync("agent-1", "alice", "deleting too much");

        var denied = await gate.ExecuteOutcomeAsync(Call("delete"), _ => new ValueTask<int>(1));
        var other = await gate.ExecuteOutcomeAsync(Call("delete", agent: "agent-2"), _ => new ValueTask<int>(1));
        Assert.True(await gate.Governance.ResumeAsync("agent-1", "bob", "fixed"));
        var resumed = await gate.ExecuteOutcomeAsync(Call("delete"), _ => new ValueTask<int>(1));

        var rejection = Assert.IsType<ActionDeniedException>(denied.Rejection);
        Assert.Equal("agent_halted", rejection.DenialReason.Code);
        Assert.Contains("deleting too much", rejection.Reasons[0], StringComparison.Ordinal);
        Assert.Equal(GateOutcomeKind.Executed, other.Kind);
        Assert.Equal(GateOutcomeKind.Executed, resumed.Kind);
        var entries = await EntriesAsync(gate.AuditLog);
        var halted = Assert.Single(entries, e => e.Kind == AuditEventKind.AgentHalted);
        Assert.Equal(("agent-1", "alice", "deleting too much"), (halted.AgentId, halted.Actor, halted.Reasons[0]));
        var resume = Assert.Single(entries, e => e.Kind == AuditEventKind.AgentResumed);
        Assert.Equal(("agent-1", "bob", "fixed"), (resume.AgentId, resume.Actor, resume.Reasons[0]));
        Assert.Single(entries, e => e.Kind == AuditEventKind.Outcome && e.DenialCode == "agent_halted");
    }

    [Fact]
    public async Task A_halt_through_one_gate_stops_the_agent_in_another_on_the_same_store()
    {
        var first = await GateAsync(b => b.AddHalt());
        var second = await GateAsync(b => b.AddHalt());
        Assert.Equal(GateOutcomeKind.Executed, (await second.ExecuteOutcomeAsync(Call("pay"), _ => new ValueTask<int>(1))).Kind);

        await first.Governance.HaltAsync("agent-1", "alice", "stop");
        Clock.Advance(ChangeDetectionInterval);

        var outcome = await second.ExecuteOutcomeAsync(Call("pay"), _ => new ValueTask<int>(1));
        Assert.Equal("agent_halted", Assert.IsType<ActionDeniedException>(outcome.Rejection).DenialReason.Code);
    }

    [Fact]
    public async Task Two_gates_racing_for_the_last_budget_unit_run_exactly_one_call()
    {
        var gates = new[] { await GateAsync(b => b.AddBudget(o => o.LimitCalls(1, BudgetPeriod.Day, "pay"))), await GateAsync(b => b.AddBudget(o => o.LimitCalls(1, BudgetPeriod.Day, "pay"))) };
        var runs = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await gates[i % 2].ExecuteOutcomeAsync(Call("pay", session: $"s-{i}"), _ => new ValueTask<int>(Interlocked.Increment(ref runs)));
        })).ToArray();

        start.SetResult();
        var outcomes = await Task.WhenAll(racers);

        Assert.Equal(1, runs);
        Assert.Single(outcomes, o => o.Kind == GateOutcomeKind.Executed);
        Assert.All(outcomes.Where(o => o.Kind != GateOutcomeKind.Executed), o => Assert.Equal("budget_exceeded", Assert.IsType<ActionDeniedException>(o.Rejection).DenialReason.Code));
    }

    [Fact]
    public async Task A_budget_is_settled_when_the_call_succeeds_and_released_when_it_fails_or_is_denied_later()
    {
        var policy = new PolicyBuilder().ForTool("refund", r => r.WhenAmountOver("amount", 500).Deny()).ForTool("*", r => r.Allow()).Build();
        var gate = await GateAsync(b => b.AddBudget(o => o.LimitCost(1000, BudgetPeriod.Day, "refund", "amount")), policy);
        var key = $"agent-1|day:{Clock.GetUtcNow():yyyy-MM-dd}|cost|refund";

        await gate.ExecuteOutcomeAsync(Call("refund", args: new { amount = 300 }), _ => new ValueTask<int>(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.ExecuteOutcomeAsync<int>(Call("refund", args: new { amount = 200 }), _ => throw new InvalidOperationException("bank down")));
        var denied = await gate.ExecuteOutcomeAsync(Call("refund", args: new { amount = 600 }), _ => new ValueTask<int>(1));

        Assert.Equal("policy", Assert.IsType<ActionDeniedException>(denied.Rejection).DenialReason.Code);
        Assert.Equal(new BudgetUsage(key, 300, 0, 1000), await gate.Governance.GetBudgetUsageAsync(key));
    }

    [Fact]
    public async Task Every_governance_stage_together_lets_an_in_scope_call_run_and_stops_the_rest()
    {
        var gate = await GateAsync(b => b
            .AddHalt()
            .AddScope(o => o.Allow("agent-1", "refund", "lookup_*"))
            .AddLoopDetection(o => o.MaxRepeats = 2)
            .AddBudget(o => o.LimitCalls(10, BudgetPeriod.Session))
            .AddContracts(o => o.Add(new ToolContract { Tool = "refund", Preconditions = [ContractChecks.InScope, ContractChecks.BudgetAvailable] }))
            .AddPresence(o => o.CheckInterval = null));

        var ran = await gate.ExecuteOutcomeAsync(Call("refund"), _ => new ValueTask<int>(1));
        var outOfScope = await gate.ExecuteOutcomeAsync(Call("delete_user"), _ => new ValueTask<int>(1));
        await gate.ExecuteOutcomeAsync(Call("lookup_order"), _ => new ValueTask<int>(1));
        await gate.ExecuteOutcomeAsync(Call("lookup_order"), _ => new ValueTask<int>(1));
        var loop = await gate.ExecuteOutcomeAsync(Call("lookup_order"), _ => new ValueTask<int>(1));

        Assert.Equal(GateOutcomeKind.Executed, ran.Kind);
        Assert.Equal("out_of_scope", Assert.IsType<ActionDeniedException>(outOfScope.Rejection).DenialReason.Code);
        Assert.Equal("loop_detected", Assert.IsType<ActionDeniedException>(loop.Rejection).DenialReason.Code);
        Assert.Equal(PresenceState.Live, Assert.Single(await gate.Governance.GetAgentsAsync()).State);
        Assert.Equal(["halt", "scope", "loops", "budgets"], gate.Stages.Select(s => s.Name).SkipWhile(n => n == "presence").Take(4));
    }
}
