using System.Globalization;
using Countersign.Pipeline;
using Countersign.Approvals;
using Countersign.Audit;
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

    [Fact]
    public async Task Agent_supplied_text_reaches_the_terminal_only_as_visible_escapes()
    {
        const string Paint = "\u001b[2K\rAPPROVED BY ADMIN\u0007\b\u202Eevil\u2066\u200B\u009b31m";
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var request = new ApprovalRequest
        {
            Id = "apr_1" + Paint,
            ActionId = "act_1" + Paint,
            ToolName = "refund" + Paint,
            PayloadHash = new string('a', 64),
            RedactedArgumentsJson = "{\"note\\u001b[1A\":\"x\u202E\\r\u2028y\\u0007\",\"list\":[\"\u2067\u0085\"]}",
            AgentId = "agent" + Paint,
            RequestedBy = "bot" + Paint,
            Description = "Refund\n  Risk:     low" + Paint,
            Reasons = ["reason" + Paint],
            ReviewerRoles = ["finance" + Paint],
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(5),
        };
        var store = new InMemoryApprovalStore();
        await store.CreateOrGetAsync(request);
        var output = new StringWriter();
        var channel = new ConsoleApprovalChannel(new() { Output = output, IsInteractive = () => false });

        await channel.NotifyAsync(request, new ReviewRecorder(store, new InMemoryAuditLog(), new FakeTimeProvider(now), TimeSpan.FromMinutes(5)), CancellationToken.None);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.All(lines, line => Assert.DoesNotContain(line, c => char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator));
        Assert.Contains(lines, line => line.StartsWith("  About:", StringComparison.Ordinal) && line.Contains(@"Refund\n  Risk:     low\u001B[2K\rAPPROVED BY ADMIN\u0007\u0008\u202Eevil", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("  Risk:", StringComparison.Ordinal));
    }

    private static Task<string> WaitForOutputAsync(SignalingWriter output, string text) => output.WaitForAsync(text);

    private sealed class ExplodingReader : TextReader
    {
        public override string ReadLine() => throw new InvalidOperationException("the channel read stdin without a terminal");
    }
}
