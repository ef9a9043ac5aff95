using Countersign.Audit;
using Countersign.Governance;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class PresenceTests
{
    private static Action<ActionGateBuilder> Presence(List<PresenceChange>? changes = null, TimeSpan? checkInterval = null) => b => b.AddHalt().AddPresence(o =>
    {
        o.IdleAfter = TimeSpan.FromMinutes(5);
        o.UnresponsiveAfter = TimeSpan.FromMinutes(30);
        o.CheckInterval = checkInterval;
        o.OnPresenceChanged = a => { changes?.Add(a.Change); return ValueTask.CompletedTask; };
    });

    [Fact]
    public async Task An_agent_goes_live_idle_unresponsive_and_back_with_each_change_audited()
    {
        var changes = new List<PresenceChange>();
        await using var harness = new GovernanceHarness(Presence(changes));

        await harness.RunAsync(Call("search"));
        harness.Clock.Advance(TimeSpan.FromMinutes(6));
        await harness.Governance.RefreshPresenceAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(25));
        await harness.Governance.RefreshPresenceAsync();
        await harness.Governance.RefreshPresenceAsync();
        await harness.RunAsync(Call("search"));

        Assert.Equal(
            [(null, PresenceState.Live), (PresenceState.Live, PresenceState.Idle), (PresenceState.Idle, PresenceState.Unresponsive), (PresenceState.Unresponsive, PresenceState.Live)],
            changes.Select(c => (c.From, c.To)));
        var audited = (await harness.EntriesAsync()).Where(e => e.Kind == AuditEventKind.PresenceChanged).ToList();
        Assert.Equal(["live", "idle", "unresponsive", "live"], audited.Select(e => e.Verdict));
        Assert.All(audited, e => Assert.Equal("agent-1", e.AgentId));
    }

    [Fact]
    public async Task A_heartbeat_keeps_a_silent_agent_live()
    {
        await using var harness = new GovernanceHarness(Presence());
        await harness.RunAsync(Call("search"));

        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        await harness.Governance.HeartbeatAsync("agent-1");
        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        await harness.Governance.RefreshPresenceAsync();

        var agent = Assert.Single(await harness.Governance.GetAgentsAsync());
        Assert.Equal(PresenceState.Live, agent.State);
        Assert.Equal(harness.Clock.GetUtcNow().AddMinutes(-4), agent.LastHeartbeatAt);
        Assert.Equal(harness.Clock.GetUtcNow().AddMinutes(-8), agent.LastCallAt);
    }

    [Fact]
    public async Task A_halted_agent_is_listed_as_halted_with_who_and_why_and_live_again_once_resumed()
    {
        var changes = new List<PresenceChange>();
        await using var harness = new GovernanceHarness(Presence(changes));
        await harness.RunAsync(Call("search"));

        await harness.Governance.HaltAsync("agent-1", "alice", "too many refunds");
        var halted = Assert.Single(await harness.Governance.GetAgentsAsync());
        await harness.Governance.ResumeAsync("agent-1", "bob", "checked");

        Assert.Equal((PresenceState.Halted, "alice", "too many refunds"), (halted.State, halted.HaltedBy, halted.HaltReason));
        Assert.Equal([PresenceState.Live, PresenceState.Halted, PresenceState.Live], changes.Select(c => c.To));
    }

    [Fact]
    public async Task The_gate_checks_presence_on_its_own_every_check_interval()
    {
        var changes = new List<PresenceChange>();
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = new GovernanceHarness(b => b.AddHalt().AddPresence(o =>
        {
            o.CheckInterval = TimeSpan.FromMinutes(1);
            o.OnPresenceChanged = a =>
            {
                changes.Add(a.Change);
                if (a.Change.To == PresenceState.Idle)
                {
                    idle.TrySetResult();
                }

                return ValueTask.CompletedTask;
            };
        }));
        await harness.RunAsync(Call("search"));

        harness.Clock.Advance(TimeSpan.FromMinutes(6));
        await idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PresenceState.Idle, changes[^1].To);
    }

    [Fact]
    public async Task Calls_within_the_write_interval_are_written_to_the_store_once()
    {
        var store = new CountingGovernanceStore();
        await using var harness = new GovernanceHarness(b => b.UseGovernanceStore(store).AddPresence(o => o.CheckInterval = null));

        for (var i = 0; i < 10; i++)
        {
            await harness.RunAsync(Call("search", args: new { i }));
        }

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await harness.RunAsync(Call("search"));

        Assert.Equal(2, store.ActivityWrites);
    }

    [Fact]
    public void Thresholds_out_of_order_fail_the_build()
    {
        Assert.Throws<ArgumentException>(() => new ActionGateBuilder().UseEnvironment(_ => null).AddPresence(o =>
        {
            o.IdleAfter = TimeSpan.FromMinutes(10);
            o.UnresponsiveAfter = TimeSpan.FromMinutes(5);
        }).Build());
    }

    private sealed class CountingGovernanceStore : IGovernanceStore
    {
        private readonly InMemoryGovernanceStore _inner = new();

        public int ActivityWrites { get; private set; }

        public ValueTask<IReadOnlyDictionary<string, AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default) => _inner.GetHaltsAsync(cancellationToken);

        public ValueTask<bool> HaltAsync(AgentHalt halt, CancellationToken cancellationToken = default) => _inner.HaltAsync(halt, cancellationToken);

        public ValueTask<AgentHalt?> ResumeAsync(string agentId, CancellationToken cancellationToken = default) => _inner.ResumeAsync(agentId, cancellationToken);

        public ValueTask<BudgetReservationResult> TryReserveAsync(string reservationId, IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default) => _inner.TryReserveAsync(reservationId, charges, cancellationToken);

        public ValueTask<IReadOnlyList<BudgetUsage>> SettleAsync(string reservationId, IReadOnlyDictionary<string, decimal> actualAmounts, CancellationToken cancellationToken = default) => _inner.SettleAsync(reservationId, actualAmounts, cancellationToken);

        public ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default) => _inner.ReleaseAsync(reservationId, cancellationToken);

        public ValueTask<IReadOnlyList<BudgetUsage>> AddUsageAsync(IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default) => _inner.AddUsageAsync(charges, cancellationToken);

        public ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default) => _inner.GetBudgetUsageAsync(key, cancellationToken);

        public ValueTask<DateTimeOffset> GetOrStartSessionAsync(string agentId, string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default) => _inner.GetOrStartSessionAsync(agentId, sessionId, now, cancellationToken);

        public ValueTask RecordActivityAsync(string agentId, DateTimeOffset? callAt, DateTimeOffset? heartbeatAt, CancellationToken cancellationToken = default)
        {
            ActivityWrites++;
            return _inner.RecordActivityAsync(agentId, callAt, heartbeatAt, cancellationToken);
        }

        public ValueTask<IReadOnlyList<AgentActivity>> GetActivityAsync(CancellationToken cancellationToken = default) => _inner.GetActivityAsync(cancellationToken);

        public ValueTask<bool> TrySetPresenceStateAsync(string agentId, string? expected, string state, CancellationToken cancellationToken = default) => _inner.TrySetPresenceStateAsync(agentId, expected, state, cancellationToken);
    }
}
