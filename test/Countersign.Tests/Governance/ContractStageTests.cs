using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Governance;
using Countersign.Policy;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class ContractStageTests
{
    private static readonly ContractCondition PositiveAmount = new("positive_amount", c => c.Arguments.GetProperty("amount").GetDecimal() > 0);

    [Fact]
    public async Task A_failing_pre_condition_denies_the_call_and_a_passing_one_lets_it_run()
    {
        var runs = 0;
        await using var harness = new GovernanceHarness(b => b.AddContracts(o => o.Add(new ToolContract { Tool = "refund*", Preconditions = [PositiveAmount] })));

        var denied = await harness.Gate.ExecuteOutcomeAsync(Call("refund", args: new { amount = -5 }), _ => new ValueTask<int>(++runs));
        var allowed = await harness.Gate.ExecuteOutcomeAsync(Call("refund", args: new { amount = 5 }), _ => new ValueTask<int>(++runs));

        Assert.Equal("contract_violated", DenialCode(denied));
        Assert.Equal(["contract_violated: pre-condition 'positive_amount' of 'refund*' failed"], Assert.IsType<ActionDeniedException>(denied.Rejection).Reasons);
        Assert.Equal(GateOutcomeKind.Executed, allowed.Kind);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_pre_condition_that_throws_denies_the_call()
    {
        await using var harness = new GovernanceHarness(b => b.AddContracts(o => o.Add(new ToolContract { Tool = "refund", Preconditions = [PositiveAmount] })));

        var outcome = await harness.RunAsync(Call("refund", args: new { order = 1 }));

        Assert.Equal("contract_violated", DenialCode(outcome));
        Assert.Contains("threw KeyNotFoundException", Assert.IsType<ActionDeniedException>(outcome.Rejection).Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approved_by_a_human_holds_only_for_a_call_released_by_reviewers()
    {
        var policy = new PolicyBuilder().ForTool("wire", r => r.WhenAmountOver("amount", 100).RequireApproval()).ForTool("*", r => r.Allow()).Build();
        await using var harness = new GovernanceHarness(
            b => b.AddContracts(o => o.Add(new ToolContract { Tool = "wire", Preconditions = [ContractChecks.ApprovedByHuman] }))
                .Configure(o => o.OnReview = OnReviewBehavior.FailClosed),
            policy);

        var allowedByPolicy = await harness.RunAsync(Call("wire", args: new { amount = 5, key = 1 }));
        var pending = Assert.IsType<ApprovalPendingException>((await harness.RunAsync(Call("wire", args: new { amount = 500 }) with { IdempotencyKey = "w1" })).Rejection);
        await harness.Gate.Reviews.ApproveAsync(pending.ApprovalId, "alice", "ok");
        var approved = await harness.RunAsync(Call("wire", args: new { amount = 500 }) with { IdempotencyKey = "w1" });

        Assert.Equal("contract_violated", DenialCode(allowedByPolicy));
        Assert.Equal(GateOutcomeKind.Executed, approved.Kind);
    }

    [Fact]
    public async Task In_scope_and_budget_available_are_built_in_checks()
    {
        await using var harness = new GovernanceHarness(b => b
            .AddBudget(o => o.LimitTokens(10, BudgetPeriod.Day))
            .AddContracts(o => o.Add(new ToolContract { Tool = "*", Preconditions = [ContractChecks.InScope, ContractChecks.BudgetAvailable] })));

        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("search"))).Kind);
        await harness.Governance.RecordModelUsageAsync(new ModelUsage { AgentId = "agent-1", InputTokens = 10, CostUsd = 0 });
        Assert.Equal("budget_exceeded", DenialCode(await harness.RunAsync(Call("search"))));
    }

    [Fact]
    public async Task A_failing_post_condition_is_recorded_on_the_outcome_audited_and_can_halt_the_agent()
    {
        OnContractViolatedArguments? violated = null;
        await using var harness = new GovernanceHarness(b => b.AddHalt().AddContracts(o =>
        {
            o.Add(new ToolContract
            {
                Tool = "transfer",
                Postconditions = [new ContractCondition("receipt_has_id", c => c.ResultAsJson().TryGetProperty("id", out _))],
                HaltOnViolation = true,
            });
            o.OnContractViolated = a => { violated = a; return ValueTask.CompletedTask; };
        }));

        var outcome = await harness.Gate.ExecuteOutcomeAsync(Call("transfer"), _ => new ValueTask<object>(new { status = "ok" }));
        var next = await harness.RunAsync(Call("transfer"));

        Assert.Equal(GateOutcomeKind.Executed, outcome.Kind);
        Assert.True(violated!.AgentHalted);
        Assert.Equal("agent_halted", DenialCode(next));
        var entries = await harness.EntriesAsync();
        var recorded = Assert.Single(entries, e => e.Kind == AuditEventKind.Outcome && e.Executed == true);
        Assert.Equal(["contract_violated: post-condition 'receipt_has_id' of 'transfer' failed"], recorded.Reasons);
        Assert.Equal(outcome.ActionId, Assert.Single(entries, e => e.Kind == AuditEventKind.ContractViolated).ActionId);
    }

    [Fact]
    public async Task A_passing_post_condition_records_nothing_more()
    {
        await using var harness = new GovernanceHarness(b => b.AddContracts(o => o.Add(new ToolContract { Tool = "transfer", Postconditions = [new ContractCondition("is_one", c => c.Result is 1)] })));

        await harness.RunAsync(Call("transfer"));

        var entries = await harness.EntriesAsync();
        Assert.DoesNotContain(entries, e => e.Kind == AuditEventKind.ContractViolated);
        Assert.Empty(Assert.Single(entries, e => e.Kind == AuditEventKind.Outcome).Reasons);
    }
}
