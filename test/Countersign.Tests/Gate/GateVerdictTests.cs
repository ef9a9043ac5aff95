using Countersign.Pipeline;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class GateVerdictTests
{
    private static ActionPolicy RefundPolicy() => new PolicyBuilder()
        .ForTool("refund", r => r.Named("big-refunds").WhenAmountOver("amount", 100).RequireApproval().Risk(RiskLevel.High))
        .ForTool("refund", r => r.Named("small-refunds").Allow())
        .ForTool("delete_*", r => r.Named("no-deletes").Deny("deletes are never automated"))
        .Build();

    [Fact]
    public async Task Allowed_call_runs_once_and_audits_its_release_and_outcome_in_two_entries()
    {
        var harness = new GateHarness(RefundPolicy());
        var runs = 0;

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40), _ => new ValueTask<string>($"refunded {++runs}"));

        Assert.Equal(GateOutcomeKind.Executed, outcome.Kind);
        Assert.Equal(ExecutionPath.Allowed, outcome.Path);
        Assert.Equal("refunded 1", outcome.Result);
        Assert.Equal(1, runs);
        Assert.Equal(
            [AuditEventKind.Authorized, AuditEventKind.Outcome],
            await harness.KindsForAsync(outcome.ActionId));
        var records = await harness.AuditRecordsAsync();
        Assert.Equal("allow", records.Single(r => r.Entry.Kind == AuditEventKind.Authorized).Entry.Verdict);
        Assert.Equal("\"refunded 1\"", records.Single(r => r.Entry.Kind == AuditEventKind.Outcome).Entry.ResultJson);
        Assert.True((await harness.Audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Denied_call_never_runs_and_the_exception_carries_reasons_and_action_id()
    {
        var harness = new GateHarness(RefundPolicy());
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(
            ActionRequest.Create("delete_user", new { user_id = "u_42" }),
            _ =>
            {
                ran = true;
                return new ValueTask<int>(1);
            }));

        Assert.False(ran);
        Assert.Equal(DenialReason.Policy, denied.DenialReason);
        Assert.Contains("deletes are never automated", denied.Reasons);
        Assert.StartsWith("DENIED: 'delete_user'", denied.Message, StringComparison.Ordinal);
        Assert.NotNull(denied.ActionId);
        var kinds = await harness.KindsForAsync(denied.ActionId!);
        Assert.Equal([AuditEventKind.Outcome], kinds);
        var outcome = (await harness.AuditRecordsAsync()).Last().Entry;
        Assert.False(outcome.Executed);
        Assert.Equal("policy", outcome.DenialCode);
        Assert.Equal("deny", outcome.Verdict);
        Assert.Contains("u_42", outcome.ArgumentsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_no_rule_matches_needs_approval_by_default()
    {
        var harness = new GateHarness(RefundPolicy());

        var outcome = await harness.Gate.ExecuteOutcomeAsync(
            ActionRequest.Create("send_email", new { to = "ceo@example.com" }) with { AgentId = "mail-agent" },
            _ => new ValueTask<int>(1),
            new GateCallOptions { OnReview = OnReviewBehavior.FailClosed });

        Assert.Equal(GateOutcomeKind.Pending, outcome.Kind);
        var pending = Assert.IsType<ApprovalPendingException>(outcome.Rejection);
        Assert.Equal(outcome.ActionId, pending.ActionId);
    }

    [Fact]
    public async Task Held_call_runs_after_a_reviewer_approves_and_the_release_names_the_reviewer()
    {
        var harness = new GateHarness(RefundPolicy());

        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(4000), _ => new ValueTask<string>("refunded"));
        var request = await harness.Channel.NextAsync();
        Assert.Equal(RiskLevel.High, request.Risk);
        Assert.Contains(request.Reasons, r => r.Contains("big-refunds", StringComparison.Ordinal));
        var decision = await harness.DecideAsync(request.Id, "alice", approve: true, "checked the order, customer was double charged");

        Assert.True(decision.IsRecorded);
        Assert.Equal("refunded", await call);
        var release = (await harness.AuditRecordsAsync()).Single(r => r.Entry.Kind == AuditEventKind.Authorized).Entry;
        Assert.Equal("approved", release.ExecutionPath);
        Assert.Equal("alice", release.Actor);
        Assert.Equal(request.Id, release.ApprovalId);
    }

    [Fact]
    public async Task Reviewer_denial_throws_with_the_reviewer_and_the_verbatim_comment()
    {
        var harness = new GateHarness(RefundPolicy());
        var ran = false;

        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(4000), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        });
        var request = await harness.Channel.NextAsync();
        await harness.DecideAsync(request.Id, "alice", approve: false, "duplicate of yesterday's refund");

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => call);
        Assert.False(ran);
        Assert.Equal(DenialReason.Reviewer, denied.DenialReason);
        Assert.Equal("alice", denied.Reviewer);
        Assert.Equal("duplicate of yesterday's refund", denied.ReviewerComment);
        Assert.Contains("duplicate of yesterday's refund", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denial_message_can_be_handed_back_to_an_agent_instead_of_an_exception()
    {
        var harness = new GateHarness(RefundPolicy());

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_db"), _ => new ValueTask<string>("gone"));

        Assert.Equal(GateOutcomeKind.Denied, outcome.Kind);
        Assert.StartsWith("DENIED:", outcome.ToAgentMessage(), StringComparison.Ordinal);
        Assert.Throws<ActionDeniedException>(() => outcome.GetResultOrThrow());
    }

    [Fact]
    public async Task Exception_from_the_guarded_call_is_rethrown_unchanged_and_audited()
    {
        var harness = new GateHarness(ActionPolicy.AllowAll);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            harness.Gate.ExecuteAsync<int>(ActionRequest.Create("charge"), _ => throw new InvalidOperationException("card declined")));

        Assert.Equal("card declined", thrown.Message);
        var outcome = (await harness.AuditRecordsAsync()).Last().Entry;
        Assert.Equal(AuditEventKind.Outcome, outcome.Kind);
        Assert.True(outcome.Executed);
        Assert.Contains("card declined", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_judges_without_running_or_recording()
    {
        var harness = new GateHarness(RefundPolicy());

        var decision = harness.Gate.Evaluate(GateHarness.Refund(500));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
    }

    [Fact]
    public async Task A_policy_predicate_that_throws_denies_the_call_and_the_denial_is_audited()
    {
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.When(args => args.GetProperty("missing").GetBoolean()).RequireApproval())
            .ForTool("refund", r => r.Allow())
            .Build();
        var harness = new GateHarness(policy);
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(10), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        }));

        Assert.False(ran);
        Assert.Equal(DenialReason.Policy, denied.DenialReason);
        Assert.Contains("could not be evaluated", denied.Message, StringComparison.Ordinal);
        Assert.Equal([AuditEventKind.Outcome], await harness.KindsForAsync(denied.ActionId!));
    }
}
