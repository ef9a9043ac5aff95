using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    private static readonly TimeSpan ShortPoll = TimeSpan.FromMilliseconds(20);
    private readonly TempDatabase _database = new();
    private readonly Dictionary<IApprovalStore, SqliteStore> _open = new(ReferenceEqualityComparer.Instance);
    private SqliteStore? _store;

    // The store under test polls for other processes' changes on the fake clock, which the tests never move for it:
    // its own wake-ups must not depend on polling. A second instance polls on the real clock, as another process would.
    protected override async Task<IApprovalStore> CreateStoreAsync()
    {
        _store = await OpenAsync(_database.Options(Time));
        return _store.Approvals;
    }

    protected override async Task<IApprovalStore> CreateSecondInstanceOnSameDatabaseAsync() =>
        (await OpenAsync(_database.Options(TimeProvider.System, ShortPoll))).Approvals;

    protected override async Task<IApprovalStore> ReopenAsync(IApprovalStore store)
    {
        await DisposeStoreAsync(store);
        _store = await OpenAsync(_database.Options(Time));
        return _store.Approvals;
    }

    protected override async Task DisposeStoreAsync(IApprovalStore store)
    {
        if (_open.Remove(store, out var open))
        {
            await open.DisposeAsync();
        }
    }

    protected override Task DeleteDatabaseAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private async Task<SqliteStore> OpenAsync(SqliteStoreOptions options)
    {
        var store = await SqliteStore.OpenAsync(options);
        _open.Add(store.Approvals, store);
        return store;
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
    public Task Ended_subscriptions_leave_no_subscriber_behind() =>
        AssertAnEndedSubscriptionLeavesNoSubscriberAsync(() => _store!.Approvals.WatcherCount);

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
