using Countersign.Governance;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.AI.Tests;

public sealed class CountersignChatClientTests : IAsyncDisposable
{
    private const string TokenCounter = "support-bot|session:conv-1|tokens|*";
    private const string UsdCounter = "support-bot|session:conv-1|usd|*";

    private readonly GateFixture _fixture = new(gate => gate
        .AddScope(o => o.Allow("support-bot", "lookup_*", "refund"))
        .AddBudget(o =>
        {
            o.LimitTokens(1000, BudgetPeriod.Session);
            o.LimitUsd(10, BudgetPeriod.Session);
            o.ModelPrices["gpt-4o-mini"] = new ModelPrice(1000m, 2000m);
        }));

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    private static ChatOptions Request(params AITool[] tools) => new ChatOptions { Tools = tools }.WithCountersignAgent("support-bot", "conv-1");

    private IChatClient Pipeline(ScriptedChatClient model, Action<CountersignChatClient>? configure = null) => model.AsBuilder()
        .UseCountersign(_fixture.Gate, configure: configure)
        .UseFunctionInvocation()
        .Build();

    [Fact]
    public async Task Tools_outside_the_agent_s_scope_are_never_offered_to_the_model()
    {
        var model = new ScriptedChatClient(ScriptedChatClient.Text("Hello."));

        await Pipeline(model).GetResponseAsync("Hi", Request(_fixture.Tools));

        var offered = model.Options.Single()!.Tools!.Select(t => t.Name).ToArray();
        Assert.Equal(["lookup_order", "refund"], offered);
        Assert.All(model.Options.Single()!.Tools!, tool => Assert.IsType<GuardedAIFunction>(tool));
    }

    [Fact]
    public async Task The_model_sees_the_same_name_description_and_schema_through_the_middleware()
    {
        var model = new ScriptedChatClient(ScriptedChatClient.Text("Hello."));

        await Pipeline(model).GetResponseAsync("Hi", Request(_fixture.LookupOrder));

        var seen = Assert.IsAssignableFrom<AIFunction>(model.Options.Single()!.Tools!.Single());
        Assert.Equal(_fixture.LookupOrder.Name, seen.Name);
        Assert.Equal(_fixture.LookupOrder.Description, seen.Description);
        Assert.Equal(_fixture.LookupOrder.JsonSchema.GetRawText(), seen.JsonSchema.GetRawText());
    }

    [Fact]
    public async Task Hiding_can_be_turned_off_and_an_out_of_scope_call_is_still_denied_by_the_gate()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "wipe_account", new() { ["accountId"] = "acc_1" })),
            ScriptedChatClient.Text("Not allowed."));

        await Pipeline(model, c => c.HideToolsOutOfScope = false).GetResponseAsync("Wipe acc_1", Request(_fixture.Tools));

        Assert.Equal(3, model.Options[0]!.Tools!.Count);
        Assert.StartsWith("DENIED: 'wipe_account' was ", model.ResultOf("c1"), StringComparison.Ordinal);
        Assert.Contains("scope", model.ResultOf("c1"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Raw_tools_in_the_request_are_guarded_by_the_middleware()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "refund", new() { ["orderId"] = "ord_1", ["amount"] = 40 })),
            ScriptedChatClient.Text("Declined."));
        var reviewer = Task.Run(async () =>
        {
            var approval = await _fixture.NextApprovalAsync();
            await _fixture.Gate.Reviews.DenyAsync(approval.Approval.Id, "alice", "test", "needs a manager");
        });

        await Pipeline(model).GetResponseAsync("Refund ord_1", Request(_fixture.Tools));
        await reviewer;

        Assert.Contains("Reviewer comment: \"needs a manager\"", model.ResultOf("c1"), StringComparison.Ordinal);
        Assert.Equal(0, _fixture.Refunds);
    }

    [Fact]
    public async Task Token_usage_and_its_price_of_every_model_round_trip_are_recorded_on_the_agent_s_budget()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "lookup_order", new() { ["orderId"] = "ord_2" })),
            ScriptedChatClient.Text("Shipped."));

        await Pipeline(model).GetResponseAsync("Where is ord_2?", Request(_fixture.Tools));

        // 100 + 20 tokens, then 150 + 10; priced at 1,000 and 2,000 USD per million input and output tokens.
        Assert.Equal(280m, (await _fixture.Gate.Governance.GetBudgetUsageAsync(TokenCounter))!.Used);
        Assert.Equal(0.31m, (await _fixture.Gate.Governance.GetBudgetUsageAsync(UsdCounter))!.Used);
    }

    [Fact]
    public async Task Streaming_responses_record_their_usage_too()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "lookup_order", new() { ["orderId"] = "ord_3" })),
            ScriptedChatClient.Text("Shipped."));

        var updates = await Pipeline(model).GetStreamingResponseAsync("Where is ord_3?", Request(_fixture.Tools)).ToListAsync();

        Assert.Equal("Shipped.", updates.ToChatResponse().Messages[^1].Text);
        Assert.Equal("order ord_3: shipped", model.ResultOf("c1"));
        Assert.Equal(280m, (await _fixture.Gate.Governance.GetBudgetUsageAsync(TokenCounter))!.Used);
    }

    [Fact]
    public async Task Once_the_token_budget_is_spent_the_agent_s_next_tool_call_is_denied()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Text("One."),
            ScriptedChatClient.Text("Two."),
            ScriptedChatClient.Text("Three."),
            ScriptedChatClient.Text("Four."),
            ScriptedChatClient.Text("Five."),
            ScriptedChatClient.Text("Six."),
            ScriptedChatClient.Text("Seven."),
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "lookup_order", new() { ["orderId"] = "ord_4" })),
            ScriptedChatClient.Text("Out of budget."));
        var pipeline = Pipeline(model);
        for (var i = 0; i < 7; i++)
        {
            await pipeline.GetResponseAsync("Talk", Request(_fixture.Tools));
        }

        await pipeline.GetResponseAsync("Where is ord_4?", Request(_fixture.Tools));

        Assert.True((await _fixture.Gate.Governance.GetBudgetUsageAsync(TokenCounter))!.IsOverrun);
        Assert.StartsWith("DENIED: 'lookup_order' was ", model.ResultOf("c1"), StringComparison.Ordinal);
        Assert.Contains("budget", model.ResultOf("c1"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _fixture.Lookups);
    }

    [Fact]
    public async Task Usage_is_not_recorded_when_turned_off_or_when_no_agent_is_named()
    {
        var model = new ScriptedChatClient(ScriptedChatClient.Text("One."), ScriptedChatClient.Text("Two."));

        await Pipeline(model, c => c.RecordUsage = false).GetResponseAsync("Hi", Request(_fixture.Tools));
        await Pipeline(model).GetResponseAsync("Hi", new ChatOptions());

        Assert.Null(await _fixture.Gate.Governance.GetBudgetUsageAsync(TokenCounter));
    }

    [Fact]
    public async Task A_gate_without_a_budget_records_nothing_and_answers_normally()
    {
        await using var plain = new GateFixture();
        var model = new ScriptedChatClient(ScriptedChatClient.Text("Hi."));

        var response = await model.AsBuilder().UseCountersign(plain.Gate).UseFunctionInvocation().Build()
            .GetResponseAsync("Hi", Request(plain.Tools));

        Assert.Equal("Hi.", response.Text);
    }

    [Fact]
    public async Task The_gate_is_resolved_from_the_pipeline_s_services_when_none_is_given()
    {
        var services = new ServiceCollection().AddSingleton(_fixture.Gate).BuildServiceProvider();
        var model = new ScriptedChatClient(ScriptedChatClient.Text("Hello."));

        using var client = model.AsBuilder().UseCountersign().UseFunctionInvocation().Build(services);
        await client.GetResponseAsync("Hi", Request(_fixture.Tools));

        Assert.Same(_fixture.Gate, client.GetService<CountersignChatClient>()!.Gate);
        Assert.Equal(2, model.Options.Single()!.Tools!.Count);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var model = new ScriptedChatClient();
        Assert.Throws<ArgumentNullException>(() => new CountersignChatClient(model, null!));
        Assert.Throws<ArgumentNullException>(() => new CountersignChatClient(model, _fixture.Gate).ToolOptions = null!);
        Assert.Throws<ArgumentNullException>(() => ((ChatClientBuilder)null!).UseCountersign(_fixture.Gate));
    }
}
