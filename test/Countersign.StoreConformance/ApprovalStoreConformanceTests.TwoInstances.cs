using Countersign.Approvals;

namespace Countersign.StoreConformance;

/// <summary>
/// Two store instances on one database, as two processes, and a store reopened on its database: the data is the only
/// thing they share.
/// </summary>
public abstract partial class ApprovalStoreConformanceTests
{
    [Fact]
    public async Task Racing_claims_from_two_instances_have_exactly_one_winner()
    {
        var second = await SecondInstanceAsync();
        var granted = await GrantedRequestAsync();
        var now = Time.GetUtcNow();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? Store : second).TryConsumeAsync(granted.Id, granted.PayloadHash, now);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers).WaitAsync(HangGuard);

        Assert.Equal(1, results.Count(won => won));
        Assert.Equal(ApprovalStatus.Consumed, (await second.GetAsync(granted.Id))!.Status);
    }

    [Fact]
    public async Task One_idempotency_key_from_two_instances_makes_one_approval()
    {
        var second = await SecondInstanceAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var creates = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? Store : second).CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(creates).WaitAsync(HangGuard);

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single((await second.QueryAsync(new ApprovalQuery(), Time.GetUtcNow())).Items);
    }

    [Fact]
    public async Task A_decision_through_one_instance_wakes_a_waiter_on_the_other()
    {
        var second = await SecondInstanceAsync();
        var request = await Store.CreateOrGetAsync(NewRequest());
        var wait = second.WaitForResolutionAsync(request.Id).AsTask();

        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        var resolved = await wait.WaitAsync(HangGuard);
        Assert.Equal(ApprovalStatus.Granted, resolved.Status);
        Assert.Equal("bob", Assert.Single(resolved.Decisions).Reviewer);
    }

    [Fact]
    public async Task A_decision_through_one_instance_reaches_a_feed_subscriber_on_the_other()
    {
        var second = await SecondInstanceAsync();
        var request = await Store.CreateOrGetAsync(NewRequest());
        var page = await second.QueryAsync(new ApprovalQuery(), Time.GetUtcNow());
        await using var feed = new FeedReader(second, page.FeedPosition);

        await Store.RecordReviewAsync(request.Id, Decision("bob", approved: false), GrantExpiry);

        var change = await feed.NextAsync();
        Assert.Equal((ApprovalEventKind.Denied, request.Id), (change.Kind, change.ApprovalId));
        Assert.Equal(ApprovalStatus.Denied, change.Approval!.Status);
    }

    [Fact]
    public async Task Two_instances_read_one_feed_with_the_same_positions()
    {
        var second = await SecondInstanceAsync();
        var first = await Store.CreateOrGetAsync(NewRequest());
        var other = await second.CreateOrGetAsync(NewRequest());
        await Store.RecordReviewAsync(other.Id, Decision("bob"), GrantExpiry);

        await using var fromFirst = new FeedReader(Store, afterPosition: 0);
        await using var fromSecond = new FeedReader(second, afterPosition: 0);
        var a = await fromFirst.NextAsync(3);
        var b = await fromSecond.NextAsync(3);

        Assert.Equal([first.Id, other.Id, other.Id], a.Select(e => e.ApprovalId));
        Assert.Equal(a.Select(e => (e.Position, e.Kind, e.ApprovalId)), b.Select(e => (e.Position, e.Kind, e.ApprovalId)));
    }

    [Fact]
    public async Task Pending_approval_survives_a_reopen_and_the_caller_reattaches_by_idempotency_key()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42", quorum: 2));
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        await ReopenStoreAsync();
        var reattached = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42", quorum: 2));
        var wait = Store.WaitForResolutionAsync(reattached.Id).AsTask();
        await Store.RecordReviewAsync(reattached.Id, Decision("carol"), GrantExpiry);

        Assert.Equal(request.Id, reattached.Id);
        Assert.Equal(ApprovalStatus.Pending, reattached.Status);
        Assert.Equal("bob", Assert.Single(reattached.Decisions).Reviewer);
        Assert.Equal(ApprovalStatus.Granted, (await wait.WaitAsync(HangGuard)).Status);
        Assert.True(await Store.TryConsumeAsync(request.Id, request.PayloadHash, Time.GetUtcNow()));
    }

    [Fact]
    public async Task Feed_resumes_across_a_reopen_from_the_last_position_seen()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var seen = await FirstFeedPositionAsync();

        await ReopenStoreAsync();
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        await using var resumed = new FeedReader(Store, seen);
        var change = await resumed.NextAsync();

        Assert.Equal((ApprovalEventKind.Granted, request.Id), (change.Kind, change.ApprovalId));
        Assert.True(change.Position > seen);
    }

    [Fact]
    public async Task A_reopened_store_finds_approvals_by_query_and_action_id()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());

        await ReopenStoreAsync();

        Assert.Equal(request.Id, (await Store.FindByActionIdAsync(request.ActionId))!.Id);
        Assert.Equal([request.Id], (await Store.QueryAsync(new ApprovalQuery(), Time.GetUtcNow())).Items.Select(r => r.Id));
    }
}
