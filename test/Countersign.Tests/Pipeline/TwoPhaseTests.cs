using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Pipeline;

public sealed class TwoPhaseTests
{
    private static ActionPolicy Policy() => new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
        .ForTool("refund", r => r.Allow())
        .Build();

    [Fact]
    public async Task A_caller_authorised_by_the_gate_runs_the_call_itself_and_reports_the_outcome()
    {
        var harness = new GateHarness(Policy());

        var authorization = await harness.Gate.AuthorizeAsync(GateHarness.Refund(40));
        Assert.True(authorization.IsAuthorized);
        Assert.Equal(ExecutionPath.Allowed, authorization.Path);
        Assert.Equal([AuditEventKind.Authorized], await harness.KindsForAsync(authorization.ActionId));

        await harness.Gate.CompleteAsync(authorization, CallOutcome.Success(new { refund_id = "re_1" }));

        var outcome = (await harness.AuditRecordsAsync()).Last().Entry;
        Assert.Equal(AuditEventKind.Outcome, outcome.Kind);
        Assert.True(outcome.Executed);
        Assert.Equal("{\"refund_id\":\"re_1\"}", outcome.ResultJson);
        Assert.Equal("policy", outcome.Actor);
        Assert.True(outcome.Approved);
    }

    [Fact]
    public async Task An_outcome_is_recorded_once_and_only_for_an_authorised_call()
    {
        var harness = new GateHarness(new PolicyBuilder().ForTool("refund", r => r.Deny("never")).Build());
        var denied = await harness.Gate.AuthorizeAsync(GateHarness.Refund(40));
        Assert.False(denied.IsAuthorized);
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Gate.CompleteAsync(denied, CallOutcome.Success(1)).AsTask());

        var allowed = new GateHarness(Policy());
        var authorization = await allowed.Gate.AuthorizeAsync(GateHarness.Refund(40));
        await allowed.Gate.CompleteAsync(authorization, CallOutcome.Failure("the payment provider timed out"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => allowed.Gate.CompleteAsync(authorization, CallOutcome.Success(1)).AsTask());
        Assert.Equal("the payment provider timed out", (await allowed.AuditRecordsAsync()).Last().Entry.Error);
    }

    [Fact]
    public async Task A_blocked_caller_is_handed_the_approval_id_before_it_waits()
    {
        var harness = new GateHarness(Policy());
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new GateCallOptions
        {
            OnApprovalRequested = args =>
            {
                announced.TrySetResult(args.Approval.Id);
                return ValueTask.CompletedTask;
            },
        };

        var call = harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1), options);
        var approvalId = await announced.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.DecideAsync(approvalId, "alice", approve: true, comment: "customer verified");
        var outcome = await call;

        Assert.Equal(GateOutcomeKind.Executed, outcome.Kind);
        var last = (await harness.AuditRecordsAsync()).Last().Entry;
        Assert.Equal(AuditEventKind.Outcome, last.Kind);
        Assert.Equal(approvalId, last.ApprovalId);
        Assert.Equal("alice", last.Actor);
        Assert.Equal("customer verified", last.Comment);
        Assert.True(last.NeededApproval);
    }

    [Fact]
    public async Task Gate_wide_callbacks_see_decisions_and_denials_and_cannot_break_the_call()
    {
        var decided = new List<ApprovalStatus>();
        var denials = new List<string>();
        var harness = new GateHarness(Policy(), builder: b => b
            .OnApprovalDecided(args =>
            {
                decided.Add(args.Approval.Status);
                throw new InvalidOperationException("a broken callback");
            })
            .OnDenied(args =>
            {
                denials.Add(args.Denial.DenialReason.Code);
                return ValueTask.CompletedTask;
            }));

        var call = harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));
        var request = await harness.Channel.NextAsync();
        await harness.DecideAsync(request.Id, "bob", approve: false, comment: "not this one");
        var outcome = await call;

        Assert.Equal(GateOutcomeKind.Denied, outcome.Kind);
        Assert.Contains("not this one", outcome.ToAgentMessage(), StringComparison.Ordinal);
        Assert.Equal([ApprovalStatus.Denied], decided);
        Assert.Equal(["reviewer"], denials);
    }

    [Fact]
    public async Task Shadow_mode_and_the_shadow_review_behaviour_are_told_apart_in_the_audit()
    {
        var shadowMode = new GateHarness(Policy(), o => o.EnforcementMode = EnforcementMode.Shadow);
        var reviewShadow = new GateHarness(Policy(), o => o.OnReview = OnReviewBehavior.Shadow);

        var a = await shadowMode.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));
        var b = await reviewShadow.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));

        Assert.Equal(ExecutionPath.ShadowMode, a.Path);
        Assert.Equal(ExecutionPath.ReviewShadow, b.Path);
        Assert.Equal("shadow_mode", (await shadowMode.AuditRecordsAsync()).Last().Entry.ExecutionPath);
        Assert.Equal("review_shadow", (await reviewShadow.AuditRecordsAsync()).Last().Entry.ExecutionPath);
        Assert.True((await shadowMode.AuditRecordsAsync()).Last().Entry.WouldBlock);
    }
}
