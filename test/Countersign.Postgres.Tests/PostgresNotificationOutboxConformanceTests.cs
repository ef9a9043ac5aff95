using Countersign.Notifications;
using Countersign.StoreConformance;

namespace Countersign.Postgres.Tests;

public sealed class PostgresNotificationOutboxConformanceTests : NotificationOutboxConformanceTests, IAsyncLifetime
{
    private readonly List<PostgresStore> _open = [];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _open)
        {
            await store.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    protected override async Task<INotificationOutbox> CreateOutboxAsync() => await OpenAsync();

    protected override async Task<INotificationOutbox> CreateSecondInstanceAsync() => await OpenAsync();

    private async Task<INotificationOutbox> OpenAsync()
    {
        var store = await PostgresStore.OpenAsync(_database.Options());
        _open.Add(store);
        return store.Notifications;
    }
}
