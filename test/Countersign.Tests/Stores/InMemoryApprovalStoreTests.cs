using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class InMemoryApprovalStoreTests : ApprovalStoreConformanceTests
{
    protected override Task<IApprovalStore> CreateStoreAsync() => Task.FromResult<IApprovalStore>(new InMemoryApprovalStore());

    // The "database" of an in-memory store is its state: a second instance shares it, with nothing else in common.
    protected override Task<IApprovalStore> CreateSecondInstanceOnSameDatabaseAsync() =>
        Task.FromResult<IApprovalStore>(((InMemoryApprovalStore)Store).OpenSecondInstance());

    protected override Task<IApprovalStore> ReopenAsync(IApprovalStore store) =>
        Task.FromResult<IApprovalStore>(((InMemoryApprovalStore)store).OpenSecondInstance());

    [Fact]
    public async Task Cancelled_waits_leave_no_waiter_behind()
    {
        var store = (InMemoryApprovalStore)Store;
        var request = await store.CreateOrGetAsync(NewRequest());
        using var cancellation = new CancellationTokenSource();
        var waits = Enumerable.Range(0, 5).Select(_ => store.WaitForResolutionAsync(request.Id, cancellation.Token).AsTask()).ToArray();
        Assert.Equal(5, store.WaiterCount);

        await cancellation.CancelAsync();
        foreach (var wait in waits)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(HangGuard));
        }

        Assert.Equal(0, store.WaiterCount);
    }

    [Fact]
    public async Task Woken_waits_leave_no_waiter_behind()
    {
        var store = (InMemoryApprovalStore)Store;
        var request = await store.CreateOrGetAsync(NewRequest());
        var wait = store.WaitForResolutionAsync(request.Id).AsTask();

        await store.RecordReviewAsync(request.Id, Decision("bob"), Time.GetUtcNow().AddMinutes(1));
        await wait.WaitAsync(HangGuard);

        Assert.Equal(0, store.WaiterCount);
    }

    [Fact]
    public async Task A_subscriber_further_behind_than_the_feed_keeps_is_told_of_the_gap_and_goes_on()
    {
        var store = new InMemoryApprovalStore(feedCapacity: 4);
        await using var slow = store.WatchAsync(afterPosition: 0).GetAsyncEnumerator();
        var ids = new List<string> { (await store.CreateOrGetAsync(NewRequest())).Id };
        Assert.True(await slow.MoveNextAsync());
        Assert.Equal(ids[0], slow.Current.ApprovalId);

        // The subscriber reads nothing while nine more changes arrive; the feed keeps only the last four.
        for (var i = 0; i < 9; i++)
        {
            ids.Add((await store.CreateOrGetAsync(NewRequest())).Id);
        }

        var events = new List<ApprovalEvent>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await slow.MoveNextAsync().AsTask().WaitAsync(HangGuard));
            events.Add(slow.Current);
        }

        Assert.True(events[0].IsGap);
        Assert.Null(events[0].ApprovalId);
        Assert.Equal(6, events[0].Position);
        Assert.Equal(ids.TakeLast(4), events.Skip(1).Select(e => e.ApprovalId!));
        Assert.Equal([7L, 8, 9, 10], events.Skip(1).Select(e => e.Position));
    }

    [Fact]
    public async Task Resuming_from_a_position_the_feed_no_longer_keeps_starts_with_a_gap()
    {
        var store = new InMemoryApprovalStore(feedCapacity: 2);
        for (var i = 0; i < 5; i++)
        {
            await store.CreateOrGetAsync(NewRequest());
        }

        await using var resumed = new FeedReader(store, afterPosition: 1);
        var events = await resumed.NextAsync(3);

        Assert.Equal([ApprovalEventKind.Gap, ApprovalEventKind.Created, ApprovalEventKind.Created], events.Select(e => e.Kind));
        Assert.Equal([3L, 4, 5], events.Select(e => e.Position));
    }

    [Fact]
    public Task Ended_subscriptions_leave_no_subscriber_behind() =>
        AssertAnEndedSubscriptionLeavesNoSubscriberAsync(() => ((InMemoryApprovalStore)Store).WatcherCount);

    [Fact]
    public void Feed_capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryApprovalStore(feedCapacity: 0));
    }

    [Fact]
    public async Task Changing_the_list_given_to_the_store_does_not_change_the_stored_request()
    {
        var roles = new List<string> { "finance" };
        var request = await Store.CreateOrGetAsync(NewRequest(reviewerRoles: roles));

        roles[0] = "intern";

        Assert.Equal(["finance"], (await Store.GetAsync(request.Id))!.ReviewerRoles);
    }
}
