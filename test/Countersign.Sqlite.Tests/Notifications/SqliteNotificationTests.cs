using Countersign.Approvals;
using Countersign.Notifications;
using Countersign.StoreConformance.Notifications;

namespace Countersign.Sqlite.Tests.Notifications;

public sealed class SqliteNotificationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Two_processes_on_one_file_announce_each_approval_once()
    {
        await using var first = await SqliteStore.OpenAsync(_database.Options());
        await using var second = await SqliteStore.OpenAsync(_database.Options());
        var channel = new ScriptedChannel();
        await using var one = Dispatcher(first, first.Notifications, channel);
        await using var two = Dispatcher(second, second.Notifications, channel);
        await one.StartAsync(CancellationToken.None);
        await two.StartAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            await first.Approvals.CreateOrGetAsync(NewApproval($"apr-{i}"));
        }

        for (var i = 0; i < 10; i++)
        {
            await channel.NextAnnouncedAsync();
        }

        await one.DisposeAsync();
        await two.DisposeAsync();
        Assert.Equal(10, channel.Calls);
        Assert.Equal(10, channel.Announced.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_restart_announces_a_pending_approval_never_delivered_and_not_one_that_was()
    {
        var delivered = NewApproval("apr-delivered");
        var store = await SqliteStore.OpenAsync(_database.Options());
        await store.Approvals.CreateOrGetAsync(delivered);
        var outbox = new SignalingOutbox(store.Notifications);
        await using (var before = Dispatcher(store, outbox, new ScriptedChannel()))
        {
            await before.AnnouncePendingAsync();
            await outbox.NextDeliveredAsync();
        }

        // Created while no dispatcher ran, as by a process that stopped before announcing it.
        var missed = NewApproval("apr-missed");
        await store.Approvals.CreateOrGetAsync(missed);
        await store.DisposeAsync();

        await using var reopened = await SqliteStore.OpenAsync(_database.Options());
        outbox = new SignalingOutbox(reopened.Notifications);
        var channel = new ScriptedChannel();
        await using var after = Dispatcher(reopened, outbox, channel);
        await after.AnnouncePendingAsync();
        await outbox.NextDeliveredAsync();

        Assert.Equal([missed.Id], channel.Announced.Select(a => a.Id));
    }

    [Fact]
    public async Task A_channel_is_told_of_a_resolution_made_through_another_instance()
    {
        await using var local = await SqliteStore.OpenAsync(_database.Options());
        await using var remote = await SqliteStore.OpenAsync(_database.Options());
        var channel = new ScriptedChannel();
        await using var dispatcher = Dispatcher(local, local.Notifications, channel);
        await dispatcher.StartAsync(CancellationToken.None);
        var approval = await local.Approvals.CreateOrGetAsync(NewApproval("apr-remote"));
        await channel.NextAnnouncedAsync();

        await new ReviewRecorder(remote.Approvals, remote.AuditLog, TimeProvider.System).DecideAsync(approval.Id, "bob", approve: false, comment: "not today", source: "web");

        var resolved = await channel.NextResolvedAsync();
        Assert.Equal(approval.Id, resolved.Id);
        Assert.Equal(ApprovalStatus.Denied, resolved.Status);
    }

    private static NotificationDispatcher Dispatcher(SqliteStore store, INotificationOutbox outbox, ScriptedChannel channel) =>
        new(store.Approvals, outbox, [channel], new ReviewRecorder(store.Approvals, store.AuditLog, TimeProvider.System), TimeProvider.System);

    private static ApprovalRequest NewApproval(string id)
    {
        var now = TimeProvider.System.GetUtcNow();
        return new ApprovalRequest
        {
            Id = id,
            ActionId = "act-" + id,
            ToolName = "refund",
            PayloadHash = "hash-of-" + id,
            RedactedArgumentsJson = """{"amount":42}""",
            AgentId = "billing-agent",
            RequestedBy = "alice",
            Risk = RiskLevel.High,
            Reasons = ["amount above 10"],
            Quorum = 1,
            ReviewerRoles = [],
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(10),
        };
    }
}
