using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Postgres.Tests;

public sealed class PostgresApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    private readonly Dictionary<IApprovalStore, PostgresStore> _open = new(ReferenceEqualityComparer.Instance);
    private TestDatabase? _database;
    private PostgresStore? _store;

    protected override async Task<IApprovalStore> CreateStoreAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = await OpenAsync(_database.Options(Time));
        return _store.Approvals;
    }

    protected override async Task<IApprovalStore> CreateSecondInstanceOnSameDatabaseAsync() =>
        (await OpenAsync(_database!.Options())).Approvals;

    protected override async Task<IApprovalStore> ReopenAsync(IApprovalStore store)
    {
        await DisposeStoreAsync(store);
        _store = await OpenAsync(_database!.Options(Time));
        return _store.Approvals;
    }

    protected override async Task DisposeStoreAsync(IApprovalStore store)
    {
        if (_open.Remove(store, out var open))
        {
            await open.DisposeAsync();
        }
    }

    protected override async Task DeleteDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<PostgresStore> OpenAsync(PostgresStoreOptions options)
    {
        var store = await PostgresStore.OpenAsync(options);
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
