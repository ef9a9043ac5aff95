using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Governance;
using Countersign.Notifications;
using Countersign.Policy;
using Countersign.Serialization;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class HaltStageTests
{
    [Fact]
    public async Task A_halt_of_every_agent_denies_every_call_even_one_naming_no_agent()
    {
        await using var harness = new GovernanceHarness(b => b.AddHalt());
        await harness.Governance.HaltAsync(AgentHalt.AllAgents, "alice", "incident 7");

        var named = await harness.RunAsync(Call("pay"));
        var anonymous = await harness.RunAsync(Call("pay", agent: null));

        Assert.Equal("agent_halted", DenialCode(named));
        Assert.Equal("agent_halted", DenialCode(anonymous));
        Assert.Contains("every agent is halted by 'alice'", Assert.IsType<ActionDeniedException>(named.Rejection).Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_read_halts_denies_the_call()
    {
        await using var harness = new GovernanceHarness(b => b.UseGovernanceStore(new FailingGovernanceStore()).AddHalt());

        Assert.Equal("store_unavailable", DenialCode(await harness.RunAsync(Call("pay"))));
    }

    [Fact]
    public async Task Halting_an_agent_twice_keeps_the_first_halt_and_audits_once()
    {
        var halted = new List<OnAgentHaltedArguments>();
        await using var harness = new GovernanceHarness(b => b.AddHalt(o => o.OnHalted = a => { halted.Add(a); return ValueTask.CompletedTask; }));

        Assert.True(await harness.Governance.HaltAsync("agent-1", "alice", "first"));
        Assert.False(await harness.Governance.HaltAsync("agent-1", "bob", "second"));

        Assert.Equal("first", Assert.Single(await harness.Governance.GetHaltsAsync()).Reason);
        Assert.Single(await harness.EntriesAsync(), e => e.Kind == AuditEventKind.AgentHalted);
        Assert.Equal("operator", Assert.Single(halted).Source);
    }

    [Fact]
    public async Task Resuming_an_agent_that_is_not_halted_changes_nothing_and_audits_nothing()
    {
        await using var harness = new GovernanceHarness(b => b.AddHalt());

        Assert.False(await harness.Governance.ResumeAsync("agent-1", "bob", "why not"));
        Assert.Empty(await harness.EntriesAsync());
    }

    [Fact]
    public async Task A_halt_reason_with_control_characters_reaches_the_agent_neutralised()
    {
        await using var harness = new GovernanceHarness(b => b.AddHalt());
        await harness.Governance.HaltAsync("agent-1", "alice", "stop\u001b[2J\u202Enow");

        var reason = Assert.IsType<ActionDeniedException>((await harness.RunAsync(Call("pay"))).Rejection).Reasons[0];

        Assert.DoesNotContain('\u001b', reason);
        Assert.DoesNotContain('\u202E', reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("agent\u0000x")]
    [InlineData("agent\u202E")]
    public async Task An_agent_id_that_is_empty_or_unsafe_cannot_be_halted(string agent)
    {
        await using var harness = new GovernanceHarness(b => b.AddHalt());

        await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Governance.HaltAsync(agent, "alice", "x"));
    }

    [Fact]
    public async Task Governance_stages_that_keep_state_refuse_a_store_that_keeps_none()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ActionGateBuilder()
            .UseStore(_ => new StoreWithoutGovernance())
            .UseEnvironment(_ => null)
            .AddHalt()
            .Build());

        Assert.Contains("does not implement IGovernedStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_without_governance_still_runs_scope_and_loops()
    {
        await using var gate = new ActionGateBuilder()
            .UsePolicy(ActionPolicy.AllowAll)
            .UseStore(_ => new StoreWithoutGovernance())
            .UseEnvironment(_ => null)
            .AddScope(o => o.Allow("agent-1", "pay"))
            .AddLoopDetection()
            .Build();

        var outcome = await gate.ExecuteOutcomeAsync(Call("refund"), _ => new ValueTask<int>(1));

        Assert.Equal("out_of_scope", DenialCode(outcome));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await gate.Governance.HaltAsync("agent-1", "alice", "x"));
    }

    private sealed class StoreWithoutGovernance : ICountersignStore
    {
        public IApprovalStore Approvals { get; } = new InMemoryApprovalStore();

        public IAuditLog AuditLog { get; } = new InMemoryAuditLog();

        public IExecutionLedger Executions { get; } = new InMemoryExecutionLedger();

        public INotificationOutbox Notifications { get; } = new InMemoryNotificationOutbox();

        public PayloadHasher PayloadHasher { get; } = PayloadHasher.CreateEphemeral();
    }
}
