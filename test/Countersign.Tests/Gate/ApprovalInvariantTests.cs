using Countersign.Pipeline;
using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class ApprovalInvariantTests
{
    [Theory]
    [InlineData("bob", null, "bob")]
    [InlineData("bob", "refund-bot", " Refund-Bot")]
    public async Task Nobody_named_on_the_call_approves_it(string requestedBy, string? agentId, string namedReviewer)
    {
        var harness = new GateHarness();
        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900, requestedBy: requestedBy) with { AgentId = agentId }, _ => new ValueTask<int>(1));
        var request = await harness.Channel.NextAsync();

        var self = await harness.DecideAsync(request.Id, namedReviewer, approve: true);

        Assert.Equal(ReviewResultKind.SelfApproval, self.Kind);
        Assert.Equal(ApprovalStatus.Pending, (await harness.Store.GetAsync(request.Id))!.Status);
        await harness.DecideAsync(request.Id, "alice", approve: true);
        Assert.Equal(1, await call);
    }

    [Fact]
    public async Task A_quorum_of_two_needs_two_distinct_reviewers()
    {
        var policy = new PolicyBuilder().ForTool("refund", r => r.Always().RequireApproval().Quorum(2)).Build();
        var harness = new GateHarness(policy);
        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));
        var request = await harness.Channel.NextAsync();

        await harness.DecideAsync(request.Id, "alice", approve: true);
        var again = await harness.DecideAsync(request.Id, "alice", approve: true);

        Assert.Equal(ReviewResultKind.DuplicateReviewer, again.Kind);
        Assert.False(call.IsCompleted);
        await harness.DecideAsync(request.Id, "carol", approve: true);
        Assert.Equal(1, await call);
    }

    [Fact]
    public async Task Only_the_rule_s_reviewer_roles_may_decide()
    {
        var policy = new PolicyBuilder().ForTool("refund", r => r.Always().RequireApproval().ReviewerRoles("finance")).Build();
        var harness = new GateHarness(policy);
        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));
        var request = await harness.Channel.NextAsync();

        var outsider = await harness.DecideAsync(request.Id, "dave", approve: true, null, "support");
        var insider = await harness.DecideAsync(request.Id, "erin", approve: true, null, "finance");

        Assert.Equal(ReviewResultKind.RoleNotAllowed, outsider.Kind);
        Assert.True(insider.IsRecorded);
        Assert.Equal(1, await call);
    }

    [Fact]
    public async Task Approval_for_one_payload_does_not_authorise_another()
    {
        var harness = new GateHarness(configure: o => o.OnReview = OnReviewBehavior.FailClosed);
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(100, key: "ord_1"), _ => new ValueTask<int>(1)));
        await harness.DecideAsync(pending.ApprovalId, "alice", approve: true);
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(100_000, key: "ord_1"), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        }));

        Assert.False(ran);
        Assert.Equal(DenialReason.ApprovalNotUsable, denied.DenialReason);
        Assert.Contains("different payload", denied.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Granted, (await harness.Store.GetAsync(pending.ApprovalId))!.Status);
    }

    [Fact]
    public async Task Two_callers_waiting_on_one_approval_execute_it_exactly_once()
    {
        var harness = new GateHarness();
        var runs = 0;
        ValueTask<int> Refund(CancellationToken _) => new(Interlocked.Increment(ref runs));

        var first = harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900, key: "same"), Refund);
        var request = await harness.Channel.NextAsync();
        var second = harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900, key: "same"), Refund);
        await harness.DecideAsync(request.Id, "alice", approve: true);
        var outcomes = await Task.WhenAll(first, second);

        Assert.Equal(1, runs);
        var winner = Assert.Single(outcomes, o => o.Kind == GateOutcomeKind.Executed && o.ReplayOf is null);
        var loser = Assert.Single(outcomes, o => o != winner);

        // The loser never runs: it gets the winner's result, or, while the winner still runs, a denial naming it.
        if (loser.Kind == GateOutcomeKind.Executed)
        {
            Assert.Equal(winner.ActionId, loser.ReplayOf);
            Assert.Equal(1, loser.Result);
        }
        else
        {
            var denied = Assert.IsType<ActionDeniedException>(loser.Rejection);
            Assert.Equal(DenialReason.AlreadyExecuted, denied.DenialReason);
            Assert.Contains(winner.ActionId, denied.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_grant_not_claimed_before_it_expires_cannot_be_used()
    {
        var harness = new GateHarness(configure: o =>
        {
            o.OnReview = OnReviewBehavior.FailClosed;
            o.GrantValidity = TimeSpan.FromMinutes(1);
        });
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "late"), _ => new ValueTask<int>(1)));
        await harness.DecideAsync(pending.ApprovalId, "alice", approve: true);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "late"), _ => new ValueTask<int>(1)));

        Assert.Equal(DenialReason.ApprovalNotUsable, denied.DenialReason);
        Assert.Contains("expired", denied.Message, StringComparison.Ordinal);
    }
}
