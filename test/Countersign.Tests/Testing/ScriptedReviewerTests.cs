using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Policy;
using Countersign.Testing;

namespace Countersign.Tests.Testing;

/// <summary>What a user's unit test of guarded code looks like with scripted reviewers.</summary>
public sealed class ScriptedReviewerTests
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
        .ForTool("payout", r => r.RequireApproval().Quorum(2))
        .ForTool("*", r => r.Allow())
        .Build();

    private static ActionGate Gate(Func<ApprovalRequest, ScriptedReview?> script) => new ActionGateBuilder()
        .UsePolicy(Policy)
        .AddScriptedReviewer(script)
        .UseEnvironment(_ => null)
        .Configure(o => o.ReviewTimeout = TimeSpan.FromSeconds(30))
        .Build();

    [Fact]
    public async Task An_approving_script_lets_the_guarded_code_run_and_the_decision_is_audited()
    {
        await using var gate = Gate(_ => ScriptedReview.Approved("alice", "fine"));
        var refund = gate.Guard("refund", (string order, decimal amount) => $"refunded {amount} on {order}", options: new GuardOptions { RequestedBy = "bot" });

        Assert.Equal("refunded 500 on ord_1", refund("ord_1", 500m));

        var entries = new List<AuditRecord>();
        await foreach (var record in gate.AuditLog.ReadAsync())
        {
            entries.Add(record);
        }

        Assert.Contains(entries, r => r.Entry.Kind == AuditEventKind.Reviewed && r.Entry.Actor == "alice" && r.Entry.DecisionSource == "scripted");
    }

    [Fact]
    public async Task A_denying_script_gives_the_caller_the_reviewer_and_the_comment()
    {
        await using var gate = Gate(request => ScriptedReview.Denied("bob", $"not {request.ToolName} today"));
        var refund = gate.Guard("refund", (string order, decimal amount) => "refunded", options: new GuardOptions { RequestedBy = "bot" });

        var denied = Assert.Throws<ActionDeniedException>(() => refund("ord_2", 900m));

        Assert.Equal("bob", denied.Reviewer);
        Assert.Equal("not refund today", denied.ReviewerComment);
    }

    [Fact]
    public async Task Several_scripted_reviewers_meet_a_quorum()
    {
        var channel = new ScriptedReviewerChannel(_ => (IEnumerable<ScriptedReview>)[ScriptedReview.Approved("alice"), ScriptedReview.Approved("carol")]);
        await using var gate = new ActionGateBuilder().UsePolicy(Policy).AddChannel(channel).UseEnvironment(_ => null).Build();

        var result = await gate.ExecuteAsync(ActionRequest.Create("payout", new { amount = 10 }) with { RequestedBy = "bot" }, _ => new ValueTask<string>("paid"));

        Assert.Equal("paid", result);
        Assert.Equal(2, channel.Results.Count(r => r.IsRecorded));
    }

    [Fact]
    public async Task A_script_that_answers_nothing_leaves_the_request_pending()
    {
        await using var gate = new ActionGateBuilder().UsePolicy(Policy).AddScriptedReviewer(_ => null).UseEnvironment(_ => null)
            .Configure(o => o.OnReview = OnReviewBehavior.FailClosed).Build();

        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(ActionRequest.Create("refund", new { amount = 900 }) with { RequestedBy = "bot" }, _ => new ValueTask<int>(1)));

        Assert.Equal(ApprovalStatus.Pending, (await gate.Approvals.GetAsync(pending.ApprovalId))!.Status);
    }
}
