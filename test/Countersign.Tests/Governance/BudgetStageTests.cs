using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Governance;
using Countersign.Pipeline;
using Countersign.Policy;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class BudgetStageTests
{
    private const string Day = "day:2026-12-04";

    [Fact]
    public async Task Calls_past_the_session_cap_are_denied_and_a_new_session_starts_afresh()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.LimitCalls(2, BudgetPeriod.Session)));

        await harness.RunAsync(Call("a"));
        await harness.RunAsync(Call("b"));
        var third = await harness.RunAsync(Call("c"));
        var otherSession = await harness.RunAsync(Call("c", session: "s-2"));

        Assert.Equal("budget_exceeded", DenialCode(third));
        Assert.Equal("budget 'agent-1|session:s-1|calls|*' has no room: used 2, held 0, cap 2", Assert.IsType<ActionDeniedException>(third.Rejection).Reasons[0]);
        Assert.Equal(GateOutcomeKind.Executed, otherSession.Kind);
    }

    [Fact]
    public async Task A_cost_taken_from_an_argument_is_capped_per_day()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.LimitCost(100, BudgetPeriod.Day, "refund", "amount")));

        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("refund", args: new { amount = 60 }))).Kind);
        Assert.Equal("budget_exceeded", DenialCode(await harness.RunAsync(Call("refund", args: new { amount = 41 }))));
        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("refund", args: new { amount = 40 }))).Kind);
        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("lookup", args: new { amount = 1000 }))).Kind);
        harness.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("refund", args: new { amount = 100 }))).Kind);
    }

    [Theory]
    [InlineData("""{"order": 1}""")]
    [InlineData("""{"amount": "ten"}""")]
    [InlineData("""{"amount": -5}""")]
    public async Task A_cost_that_cannot_be_read_denies_the_call(string arguments)
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.LimitCost(100, BudgetPeriod.Day, "refund", "amount")));

        var outcome = await harness.RunAsync(new ActionRequest { ToolName = "refund", Arguments = System.Text.Json.JsonDocument.Parse(arguments).RootElement, AgentId = "agent-1" });

        Assert.Equal("budget_exceeded", DenialCode(outcome));
        Assert.Contains("cost argument 'amount'", Assert.IsType<ActionDeniedException>(outcome.Rejection).Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fixed_cost_per_call_is_charged_and_the_actual_cost_can_be_settled_instead()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.LimitFixedCost(10, BudgetPeriod.Day, "search", 4)));

        await harness.RunAsync(Call("search"));
        var authorization = await harness.Gate.AuthorizeAsync(Call("search"));
        BudgetSettlement.SetActualCost(authorization.Context, 1.5m);
        await harness.Gate.CompleteAsync(authorization, CallOutcome.Success(1));

        Assert.Equal(5.5m, (await harness.Governance.GetBudgetUsageAsync($"agent-1|{Day}|cost|search"))!.Used);
    }

    [Fact]
    public async Task A_settled_overrun_is_audited_and_reported()
    {
        var exceeded = new List<OnBudgetExceededArguments>();
        await using var harness = new GovernanceHarness(b => b.AddBudget(o =>
        {
            o.LimitFixedCost(10, BudgetPeriod.Day, "search", 4);
            o.OnBudgetExceeded = a => { exceeded.Add(a); return ValueTask.CompletedTask; };
        }));

        var authorization = await harness.Gate.AuthorizeAsync(Call("search"));
        BudgetSettlement.SetActualCost(authorization.Context, 12);
        await harness.Gate.CompleteAsync(authorization, CallOutcome.Success(1));

        var overrun = Assert.Single(await harness.EntriesAsync(), e => e.Kind == AuditEventKind.BudgetOverrun);
        Assert.Equal([$"agent-1|{Day}|cost|search: used 12 of 10"], overrun.Reasons);
        Assert.False(Assert.Single(exceeded).Denied);
    }

    [Fact]
    public async Task Model_tokens_and_usd_are_recorded_and_the_next_call_is_denied_once_a_cap_is_reached()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.LimitTokens(1_000, BudgetPeriod.Session).LimitUsd(1m, BudgetPeriod.Day)));

        var usd = await harness.Governance.RecordModelUsageAsync(new ModelUsage { AgentId = "agent-1", SessionId = "s-1", Model = "gpt-4o-2024-08-06", InputTokens = 400, OutputTokens = 100 });
        var before = await harness.RunAsync(Call("search"));
        await harness.Governance.RecordModelUsageAsync(new ModelUsage { AgentId = "agent-1", SessionId = "s-1", InputTokens = 500, CostUsd = 0 });
        var after = await harness.RunAsync(Call("search"));

        Assert.Equal(0.002m, usd);
        Assert.Equal(GateOutcomeKind.Executed, before.Kind);
        Assert.Equal("budget_exceeded", DenialCode(after));
        Assert.Equal(1_000m, (await harness.Governance.GetBudgetUsageAsync("agent-1|session:s-1|tokens|*"))!.Used);
    }

    [Fact]
    public async Task Model_prices_from_code_win_over_the_built_in_table()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o =>
        {
            o.LimitUsd(100, BudgetPeriod.Day);
            o.ModelPrices["gpt-4o"] = new ModelPrice(1, 1);
        }));

        Assert.Equal(2m, await harness.Governance.RecordModelUsageAsync(new ModelUsage { AgentId = "agent-1", Model = "gpt-4o", InputTokens = 1_000_000, OutputTokens = 1_000_000 }));
        Assert.Null(await harness.Governance.RecordModelUsageAsync(new ModelUsage { AgentId = "agent-1", Model = "unknown-model", InputTokens = 10 }));
    }

    [Fact]
    public void A_model_price_file_overrides_the_built_in_table_and_a_malformed_one_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"models": {"gpt-4o": {"input": 9, "output": 9}, "house-model": {"input": 1, "output": 2}}}""");
            var table = ModelPriceTable.Load(path);
            Assert.Equal(new ModelPrice(9, 9), table.Prices["gpt-4o"]);
            Assert.True(table.TryGetPrice("house-model", out var house));
            Assert.Equal(3m, house.Price(1_000_000, 1_000_000));
            Assert.True(table.TryGetPrice("claude-3-5-sonnet", out _));

            File.WriteAllText(path, """{"models": {"bad": {"input": -1, "output": 2}}}""");
            Assert.Throws<FormatException>(() => ModelPriceTable.Load(path));
            File.WriteAllText(path, "{not json");
            Assert.Throws<FormatException>(() => ModelPriceTable.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_session_past_its_time_limit_is_denied()
    {
        await using var harness = new GovernanceHarness(b => b.AddBudget(o => o.SessionTimeLimit = TimeSpan.FromMinutes(30)));

        await harness.RunAsync(Call("a"));
        harness.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal("session_expired", DenialCode(await harness.RunAsync(Call("a"))));
        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("a", session: "s-2"))).Kind);
    }

    [Fact]
    public async Task A_store_failure_denies_the_call()
    {
        await using var harness = new GovernanceHarness(b => b.UseGovernanceStore(new FailingGovernanceStore()).AddBudget(o => o.LimitCalls(10, BudgetPeriod.Day)));

        var outcome = await harness.RunAsync(Call("pay"));

        Assert.Equal("store_unavailable", DenialCode(outcome));
    }

    [Fact]
    public async Task A_reservation_is_released_when_a_later_stage_holds_the_call_for_a_reviewer()
    {
        await using var harness = new GovernanceHarness(
            b => b.AddBudget(o => o.LimitCalls(1, BudgetPeriod.Day)).Configure(o => o.OnReview = OnReviewBehavior.FailClosed),
            ActionPolicy.RequireApprovalForAll);

        Assert.Equal(GateOutcomeKind.Pending, (await harness.RunAsync(Call("pay"))).Kind);

        Assert.Equal(new BudgetUsage($"agent-1|{Day}|calls|*", 0, 0, 1), await harness.Governance.GetBudgetUsageAsync($"agent-1|{Day}|calls|*"));
    }

    [Theory]
    [InlineData(BudgetMeasure.Cost, null, null)]
    [InlineData(BudgetMeasure.Calls, "amount", null)]
    [InlineData(BudgetMeasure.Tokens, null, null, "search")]
    public void Invalid_limits_fail_the_build(BudgetMeasure measure, string? argument, double? fixedCost, string? tool = null)
    {
        Assert.Throws<ArgumentException>(() => new ActionGateBuilder().UseEnvironment(_ => null).AddBudget(o => o.Limits.Add(new BudgetLimit
        {
            Measure = measure,
            Period = BudgetPeriod.Day,
            Cap = 1,
            CostArgument = argument,
            FixedCost = (decimal?)fixedCost,
            Tool = tool,
        })).Build());
    }
}
