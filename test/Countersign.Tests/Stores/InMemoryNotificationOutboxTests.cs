using Countersign.Notifications;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class InMemoryNotificationOutboxTests : NotificationOutboxConformanceTests
{
    private InMemoryNotificationOutbox? _outbox;

    protected override Task<INotificationOutbox> CreateOutboxAsync() => Task.FromResult<INotificationOutbox>(_outbox = new InMemoryNotificationOutbox());

    // An in-memory outbox's "database" is the instance itself.
    protected override Task<INotificationOutbox> CreateSecondInstanceAsync() => Task.FromResult<INotificationOutbox>(_outbox!);
}
