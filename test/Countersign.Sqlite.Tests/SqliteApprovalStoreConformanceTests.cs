using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    private readonly TempDatabase _database = new();
    private SqliteStore? _store;

    protected override async Task<IApprovalStore> CreateStoreAsync()
    {
        _store = await SqliteStore.OpenAsync(_database.Options(Time));
        return _store.Approvals;
    }

    protected override async Task DisposeStoreAsync(IApprovalStore store)
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _database.Dispose();
    }

    [Fact]
    public async Task Cancelled_waits_leave_no_waiter_behind()
    {
        var store = _store!.Approvals;
        var request = await store.CreateOrGetAsync(NewRequest());
        using var cancellation = new CancellationTokenSource();
        var waits = Enumerable.Range(0, 5).Select(_ => store.WaitForResolutionAsync(request.Id, cancellation.Token).AsTask()).ToArray();

        await cancellation.CancelAsync();
        foreach (var wait in waits)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(HangGuard));
        }

        Assert.Equal(0, store.WaiterCount);
    }

    [Fact]
    public async Task Ended_subscriptions_leave_no_subscriber_behind()
    {
        var store = _store!.Approvals;
        await using (var feed = new FeedReader(store))
        {
            await store.CreateOrGetAsync(NewRequest());
            await feed.NextAsync();
            Assert.Equal(1, store.WatcherCount);
        }

        Assert.Equal(0, store.WatcherCount);
    }

    [Fact]
    public async Task Closing_the_store_ends_its_subscriptions_with_a_store_error()
    {
        var store = _store!.Approvals;
        var feed = new FeedReader(store);

        await _store.DisposeAsync();

        Assert.IsType<CountersignStoreException>(await feed.FailureAsync());
        await feed.DisposeAsync();
    }
}
