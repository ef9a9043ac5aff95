using Countersign.Pipeline;
using Countersign.Approvals;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Channels;

public sealed class ConsoleApprovalChannelTests
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.Always().RequireApproval().Risk(RiskLevel.High).Redact("card.number"))
        .Build();

    private static (ActionGate Gate, InMemoryApprovalStore Store) Build(ConsoleApprovalChannel channel, OnReviewBehavior onReview = OnReviewBehavior.Block)
    {
        var store = new InMemoryApprovalStore();
        var gate = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseApprovalStore(store)
            .UseEnvironment(_ => null)
            .UseTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)))
            .AddChannel(channel)
            .Configure(o => o.OnReview = onReview)
            .Build();
        return (gate, store);
    }

    private static ActionRequest Refund() => new()
    {
        ToolName = "refund",
        Description = "Refund a customer's card",
        Arguments = ActionArguments.From(new { amount = 4000, card = new { number = "4111111111111111" } }),
        RequestedBy = "refund-bot",
    };

    [Fact]
    public async Task Answering_y_approves_and_the_box_masks_redacted_fields()
    {
        var output = new StringWriter();
        var channel = new ConsoleApprovalChannel(new() { Input = new StringReader("y\nlooks right\n"), Output = output, IsInteractive = () => true, Reviewer = "alice" });
        var (gate, _) = Build(channel);

        var result = await gate.ExecuteAsync(Refund(), _ => new ValueTask<string>("refunded"));

        Assert.Equal("refunded", result);
        var shown = output.ToString();
        Assert.Contains("approval required", shown, StringComparison.Ordinal);
        Assert.Contains("Tool:", shown, StringComparison.Ordinal);
        Assert.Contains("refund", shown, StringComparison.Ordinal);
        Assert.Contains("Refund a customer's card", shown, StringComparison.Ordinal);
        Assert.Contains("high", shown, StringComparison.Ordinal);
        Assert.Contains("[y/N]", shown, StringComparison.Ordinal);
        Assert.Contains("***", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("4111111111111111", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n\n")]
    [InlineData("n\nno\n")]
    [InlineData("maybe\n\n")]
    public async Task Anything_but_yes_denies(string answers)
    {
        var channel = new ConsoleApprovalChannel(new() { Input = new StringReader(answers), Output = new StringWriter(), IsInteractive = () => true, Reviewer = "alice" });
        var (gate, _) = Build(channel);

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(Refund(), _ => new ValueTask<string>("refunded")));

        Assert.Equal(DenialReason.Reviewer, denied.DenialReason);
        Assert.Equal("alice", denied.Reviewer);
    }

    [Fact]
    public async Task Without_a_terminal_it_never_reads_and_the_request_stays_pending()
    {
        var output = new SignalingWriter();
        var channel = new ConsoleApprovalChannel(new() { Input = new ExplodingReader(), Output = output, IsInteractive = () => false });
        var (gate, store) = Build(channel, OnReviewBehavior.FailClosed);

        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(Refund(), _ => new ValueTask<string>("refunded")));
        var notified = await WaitForOutputAsync(output, "stays pending");

        Assert.Contains(pending.ApprovalId, notified, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, (await store.GetAsync(pending.ApprovalId))!.Status);
    }

    [Fact]
    public async Task The_requester_answering_at_the_terminal_is_refused()
    {
        var output = new SignalingWriter();
        var channel = new ConsoleApprovalChannel(new() { Input = new StringReader("y\n\n"), Output = output, IsInteractive = () => true, Reviewer = "refund-bot" });
        var (gate, store) = Build(channel, OnReviewBehavior.FailClosed);

        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(Refund(), _ => new ValueTask<string>("refunded")));
        await WaitForOutputAsync(output, "nobody approves their own request");

        Assert.Equal(ApprovalStatus.Pending, (await store.GetAsync(pending.ApprovalId))!.Status);
    }

    private static Task<string> WaitForOutputAsync(SignalingWriter output, string text) => output.WaitForAsync(text);

    private sealed class ExplodingReader : TextReader
    {
        public override string ReadLine() => throw new InvalidOperationException("the channel read stdin without a terminal");
    }
}
