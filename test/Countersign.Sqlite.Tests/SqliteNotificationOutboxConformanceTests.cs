using Countersign.Notifications;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteNotificationOutboxConformanceTests : NotificationOutboxConformanceTests, IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteStore> _open = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _open)
        {
            await store.DisposeAsync();
        }

        _database.Dispose();
    }

    protected override async Task<INotificationOutbox> CreateOutboxAsync() => await OpenAsync();

    protected override async Task<INotificationOutbox> CreateSecondInstanceAsync() => await OpenAsync();

    private async Task<INotificationOutbox> OpenAsync()
    {
        var store = await SqliteStore.OpenAsync(_database.Options());
        _open.Add(store);
        return store.Notifications;
    }
}
