using Microsoft.Agents.AI;

namespace Countersign.AI.Tests;

public sealed class AgentFrameworkTests : IAsyncDisposable
{
    private readonly GateFixture _fixture = new();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_chat_client_agent_built_on_a_guarded_pipeline_runs_allowed_tools_and_hears_the_reviewer_s_denial()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(
                ScriptedChatClient.Call("c1", "lookup_order", new() { ["orderId"] = "ord_1" }),
                ScriptedChatClient.Call("c2", "refund", new() { ["orderId"] = "ord_1", ["amount"] = 60 })),
            ScriptedChatClient.Text("The order shipped; the refund was declined."));
        var chatClient = model.AsBuilder()
            .UseCountersign(_fixture.Gate, configure: c => c.ToolOptions = new CountersignToolOptions { AgentId = "refund-agent" })
            .UseFunctionInvocation()
            .Build();
        AIAgent agent = new ChatClientAgent(chatClient, instructions: "You handle refunds.", name: "refund-agent", tools: _fixture.Tools);
        var reviewer = Task.Run(async () =>
        {
            var approval = await _fixture.NextApprovalAsync();
            Assert.Equal("refund-agent", approval.Approval.AgentId);
            await _fixture.Gate.Reviews.DenyAsync(approval.Approval.Id, "alice", "test", "shipped orders are not refunded");
        });

        var response = await agent.RunAsync("Refund ord_1");
        await reviewer;

        Assert.Equal("The order shipped; the refund was declined.", response.Text);
        Assert.Equal("order ord_1: shipped", model.ResultOf("c1"));
        Assert.Contains("Reviewer comment: \"shipped orders are not refunded\"", model.ResultOf("c2"), StringComparison.Ordinal);
        Assert.Equal(0, _fixture.Refunds);
    }

    [Fact]
    public async Task An_agent_given_guarded_tools_is_guarded_even_on_a_plain_chat_client()
    {
        var model = new ScriptedChatClient(
            ScriptedChatClient.Calls(ScriptedChatClient.Call("c1", "wipe_account", new() { ["accountId"] = "acc_1" })),
            ScriptedChatClient.Text("I may not do that."));
        AIAgent agent = new ChatClientAgent(model, tools: _fixture.Tools.WithCountersign(_fixture.Gate, new CountersignToolOptions { AgentId = "ops-agent" }));

        await agent.RunAsync("Wipe acc_1");

        Assert.StartsWith("DENIED: 'wipe_account' was denied by policy", model.ResultOf("c1"), StringComparison.Ordinal);
    }
}
