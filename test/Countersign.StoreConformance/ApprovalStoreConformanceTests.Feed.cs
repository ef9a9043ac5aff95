using Countersign.Approvals;

namespace Countersign.StoreConformance;

/// <summary>The change feed layer: every committed change once, in order, with the approval's state at the change.</summary>
public abstract partial class ApprovalStoreConformanceTests
{
    private static void AssertIncreasing(IEnumerable<ApprovalEvent> events)
    {
        long previous = 0;
        foreach (var change in events)
        {
            Assert.True(change.Position > previous, $"position {change.Position} follows {previous}");
            previous = change.Position;
        }
    }

    /// <summary>Reads the position of the feed's first change, then ends the subscription, as a consumer that stops would.</summary>
    private async Task<long> FirstFeedPositionAsync()
    {
        await using var feed = new FeedReader(Store, afterPosition: 0);
        return (await feed.NextAsync()).Position;
    }

    /// <summary>Proves that a subscription, once it ends, leaves nothing registered in the store.</summary>
    /// <param name="subscriberCount">Reads how many subscribers the store holds.</param>
    protected async Task AssertAnEndedSubscriptionLeavesNoSubscriberAsync(Func<int> subscriberCount)
    {
        ArgumentNullException.ThrowIfNull(subscriberCount);
        await using (var feed = new FeedReader(Store))
        {
            await Store.CreateOrGetAsync(NewRequest());
            await feed.NextAsync();
            Assert.Equal(1, subscriberCount());
        }

        Assert.Equal(0, subscriberCount());
    }

    [Fact]
    public async Task Feed_reports_each_change_in_order_with_the_approval_as_it_was()
    {
        await using var feed = new FeedReader(Store);
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2));
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        await Store.RecordReviewAsync(request.Id, Decision("carol"), GrantExpiry);
        await Store.TryConsumeAsync(request.Id, request.PayloadHash, Time.GetUtcNow());

        var events = await feed.NextAsync(4);

        Assert.Equal(
            [ApprovalEventKind.Created, ApprovalEventKind.Reviewed, ApprovalEventKind.Granted, ApprovalEventKind.Consumed],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(request.Id, e.ApprovalId));
        Assert.Equal(
            [ApprovalStatus.Pending, ApprovalStatus.Pending, ApprovalStatus.Granted, ApprovalStatus.Consumed],
            events.Select(e => e.Approval!.Status));
        Assert.Equal([0, 1, 2, 2], events.Select(e => e.Approval!.Decisions.Count));
        Assert.Null(events[1].Approval!.GrantExpiresAt);
        Assert.NotNull(events[2].Approval!.GrantExpiresAt);
        Assert.Null(events[2].Approval!.ConsumedAt);
        Assert.NotNull(events[3].Approval!.ConsumedAt);
        Assert.All(events, e => Assert.False(e.IsGap));
        AssertIncreasing(events);
    }

    [Fact]
    public async Task Feed_reports_denials_and_every_way_of_expiring()
    {
        await using var feed = new FeedReader(Store);
        var denied = await Store.CreateOrGetAsync(NewRequest());
        var timedOut = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        var lateDecision = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        await Store.RecordReviewAsync(denied.Id, Decision("bob", approved: false), GrantExpiry);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.TryExpireAsync(timedOut.Id, Time.GetUtcNow());
        await Store.RecordReviewAsync(lateDecision.Id, Decision("bob"), GrantExpiry);

        var events = (await feed.NextAsync(6)).Skip(3).ToList();

        Assert.Equal((ApprovalEventKind.Denied, denied.Id), (events[0].Kind, events[0].ApprovalId));
        Assert.Equal(ApprovalStatus.Denied, events[0].Approval!.Status);
        Assert.Equal((ApprovalEventKind.Expired, timedOut.Id), (events[1].Kind, events[1].ApprovalId));
        Assert.Equal((ApprovalEventKind.Expired, lateDecision.Id), (events[2].Kind, events[2].ApprovalId));
        Assert.All(events.Skip(1), e => Assert.Equal(ApprovalStatus.Expired, e.Approval!.Status));
    }

    [Fact]
    public async Task Refused_changes_and_reattaching_add_nothing_to_the_feed()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42", requestedBy: "alice"));
        await using var feed = new FeedReader(Store);

        await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));
        await Store.RecordReviewAsync(request.Id, Decision("alice"), GrantExpiry);
        await Store.TryConsumeAsync(request.Id, request.PayloadHash, Time.GetUtcNow());
        await Store.TryExpireAsync(request.Id, Time.GetUtcNow());
        await Store.RecordReviewAsync(request.Id, Decision("bob", approved: false), GrantExpiry);
        var next = await feed.NextAsync();

        Assert.Equal((ApprovalEventKind.Denied, request.Id), (next.Kind, next.ApprovalId));
    }

    [Fact]
    public async Task Feed_from_now_starts_with_the_changes_after_the_subscription()
    {
        await Store.CreateOrGetAsync(NewRequest());
        await using var feed = new FeedReader(Store);

        var later = await Store.CreateOrGetAsync(NewRequest());

        Assert.Equal(later.Id, (await feed.NextAsync()).ApprovalId);
    }

    [Fact]
    public async Task Feed_resumes_after_the_last_position_seen()
    {
        var first = await Store.CreateOrGetAsync(NewRequest());
        var seen = await FirstFeedPositionAsync();

        var second = await Store.CreateOrGetAsync(NewRequest());
        await Store.RecordReviewAsync(first.Id, Decision("bob"), GrantExpiry);
        await using var resumed = new FeedReader(Store, afterPosition: seen);
        var events = await resumed.NextAsync(2);

        Assert.Equal([(ApprovalEventKind.Created, second.Id), (ApprovalEventKind.Granted, first.Id)], events.Select(e => (e.Kind, e.ApprovalId)));
    }

    [Fact]
    public async Task A_query_page_gives_the_feed_position_to_miss_nothing_after_it()
    {
        var before = await Store.CreateOrGetAsync(NewRequest());
        var page = await Store.QueryAsync(new ApprovalQuery(), Time.GetUtcNow());
        var after = await Store.CreateOrGetAsync(NewRequest());

        await using var feed = new FeedReader(Store, page.FeedPosition);
        var next = await feed.NextAsync();

        Assert.Equal([before.Id], page.Items.Select(r => r.Id));
        Assert.Equal((ApprovalEventKind.Created, after.Id), (next.Kind, next.ApprovalId));
    }

    [Fact]
    public async Task Every_subscriber_receives_every_change()
    {
        await using var first = new FeedReader(Store);
        await using var second = new FeedReader(Store);

        var request = await Store.CreateOrGetAsync(NewRequest());

        Assert.Equal(request.Id, (await first.NextAsync()).ApprovalId);
        Assert.Equal(request.Id, (await second.NextAsync()).ApprovalId);
    }

    [Fact]
    public async Task A_waiting_subscriber_wakes_on_a_change_made_through_the_same_instance()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        await using var feed = new FeedReader(Store);
        Assert.False(feed.HasNext);

        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        Assert.Equal(ApprovalEventKind.Granted, (await feed.NextAsync()).Kind);
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_never_holds_up_the_store()
    {
        await using var idle = new FeedReader(Store);
        var created = new List<string>();

        for (var i = 0; i < 300; i++)
        {
            created.Add((await Store.CreateOrGetAsync(NewRequest()).AsTask().WaitAsync(HangGuard)).Id);
        }

        // The subscriber then reads everything in order, or is told it missed events and goes on from there.
        var events = new List<ApprovalEvent>();
        while (events.Count == 0 || (events[^1].ApprovalId != created[^1]))
        {
            events.Add(await idle.NextAsync());
        }

        AssertIncreasing(events);
        var delivered = events.Where(e => !e.IsGap).Select(e => e.ApprovalId!).ToList();
        Assert.Equal(created.TakeLast(delivered.Count), delivered);
        Assert.True(delivered.Count == created.Count || events.Any(e => e.IsGap), "events were lost without a gap");
    }

    [Fact]
    public async Task Cancelling_a_subscription_ends_its_stream()
    {
        using var cancellation = new CancellationTokenSource();
        await using var enumerator = Store.WatchAsync(cancellationToken: cancellation.Token).GetAsyncEnumerator(CancellationToken.None);
        var next = enumerator.MoveNextAsync().AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task A_negative_feed_position_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var unused in Store.WatchAsync(-1))
            {
            }
        });
    }
}
