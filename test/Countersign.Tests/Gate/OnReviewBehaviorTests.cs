using Countersign.Pipeline;
using Countersign.Approvals;
using Countersign.Audit;

namespace Countersign.Tests.Gate;

public sealed class OnReviewBehaviorTests
{
    [Fact]
    public async Task Fail_closed_throws_at_once_and_a_retry_with_the_same_key_picks_up_the_decision()
    {
        var harness = new GateHarness(configure: o => o.OnReview = OnReviewBehavior.FailClosed);
        var runs = 0;
        ValueTask<int> Refund(CancellationToken _) => new(++runs);

        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "refund-ord_1"), Refund));
        Assert.Equal(0, runs);
        Assert.Equal("refund-ord_1", pending.IdempotencyKey);
        var stored = await harness.Store.GetAsync(pending.ApprovalId);
        Assert.Equal(ApprovalStatus.Pending, stored!.Status);

        await harness.DecideAsync(pending.ApprovalId, "alice", approve: true);
        var result = await harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "refund-ord_1"), Refund);

        Assert.Equal(1, result);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Fail_closed_retry_after_execution_gets_the_first_result_rather_than_running_twice()
    {
        var harness = new GateHarness(configure: o => o.OnReview = OnReviewBehavior.FailClosed);
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "k"), _ => new ValueTask<int>(1)));
        await harness.DecideAsync(pending.ApprovalId, "alice", approve: true);
        var first = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900, key: "k"), _ => new ValueTask<int>(1));
        var ranAgain = false;

        var retry = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900, key: "k"), _ =>
        {
            ranAgain = true;
            return new ValueTask<int>(2);
        });

        Assert.False(ranAgain);
        Assert.Equal(1, retry.Result);
        Assert.Equal(first.ActionId, retry.ReplayOf);
        var audited = (await harness.AuditRecordsAsync()).Last().Entry;
        Assert.Equal("already_executed", audited.DenialCode);
        Assert.False(audited.Executed);
    }

    [Fact]
    public async Task Per_call_behaviour_overrides_the_default()
    {
        var harness = new GateHarness(configure: o => o.OnReview = OnReviewBehavior.Block);

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1), new GateCallOptions { OnReview = OnReviewBehavior.FailClosed });

        Assert.Equal(GateOutcomeKind.Pending, outcome.Kind);
    }

    [Theory]
    [InlineData(OnReviewBehavior.FailOpen, ExecutionPath.FailOpen, "fail_open")]
    [InlineData(OnReviewBehavior.Shadow, ExecutionPath.ReviewShadow, "review_shadow")]
    public async Task Fail_open_and_shadow_run_the_call_and_record_the_path(OnReviewBehavior behavior, ExecutionPath path, string recorded)
    {
        var harness = new GateHarness(configure: o => o.OnReview = behavior);

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(900), _ => new ValueTask<int>(5));

        Assert.Equal(5, outcome.Result);
        Assert.Equal(path, outcome.Path);
        Assert.True(outcome.WouldBlock);
        var release = (await harness.AuditRecordsAsync()).Single(r => r.Entry.Kind == AuditEventKind.Authorized).Entry;
        Assert.Equal(recorded, release.ExecutionPath);
        Assert.Empty(harness.Channel.Notified);
    }

    [Fact]
    public async Task Block_times_out_into_a_denial_recorded_as_such()
    {
        var harness = new GateHarness(configure: o => o.ReviewTimeout = TimeSpan.FromSeconds(60));
        var ran = false;

        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        });
        var request = await harness.Channel.NextAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(61));

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => call);
        Assert.False(ran);
        Assert.Equal(DenialReason.Timeout, denied.DenialReason);
        Assert.Equal(ApprovalStatus.Expired, (await harness.Store.GetAsync(request.Id))!.Status);
        var decided = (await harness.AuditRecordsAsync()).Single(r => r.Entry.Kind == AuditEventKind.ApprovalExpired).Entry;
        Assert.Equal("timeout", decided.DecisionSource);
        Assert.False(decided.Approved);
    }

    [Fact]
    public async Task A_decision_after_the_timeout_is_refused()
    {
        var harness = new GateHarness(configure: o => o.ReviewTimeout = TimeSpan.FromSeconds(10));
        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1));
        var request = await harness.Channel.NextAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<ActionDeniedException>(() => call);

        var late = await harness.DecideAsync(request.Id, "alice", approve: true);

        Assert.False(late.IsRecorded);
    }

    [Fact]
    public async Task Per_call_timeout_overrides_the_default()
    {
        var harness = new GateHarness(configure: o => o.ReviewTimeout = TimeSpan.FromHours(1));

        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ => new ValueTask<int>(1), new GateCallOptions { ReviewTimeout = TimeSpan.FromSeconds(5) });
        var request = await harness.Channel.NextAsync();

        Assert.Equal(request.CreatedAt + TimeSpan.FromSeconds(5), request.ExpiresAt);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => call);
        Assert.Equal(DenialReason.Timeout, denied.DenialReason);
    }

    [Fact]
    public async Task Caller_cancellation_stops_waiting_and_leaves_the_request_pending()
    {
        var harness = new GateHarness();
        using var cancel = new CancellationTokenSource();

        var call = harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "cancel-me"), _ => new ValueTask<int>(1), cancellationToken: cancel.Token);
        var request = await harness.Channel.NextAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(ApprovalStatus.Pending, (await harness.Store.GetAsync(request.Id))!.Status);
    }
}
