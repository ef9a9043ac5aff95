using Countersign.Notifications;

namespace Countersign.StoreConformance;

/// <summary>
/// The contract every <see cref="INotificationOutbox"/> meets: a delivery has one holder at a time, across instances on
/// one database; a lease that runs out or a failure whose retry time comes frees it; a delivered one is never claimed again.
/// </summary>
public abstract class NotificationOutboxConformanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Creates an empty outbox.</summary>
    /// <returns>The outbox.</returns>
    protected abstract Task<INotificationOutbox> CreateOutboxAsync();

    /// <summary>Opens another instance on the same database as the last outbox created, as another process would.</summary>
    /// <returns>The second instance.</returns>
    protected abstract Task<INotificationOutbox> CreateSecondInstanceAsync();

    [Fact]
    public async Task A_new_delivery_has_one_holder()
    {
        var outbox = await CreateOutboxAsync();

        var claimed = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);
        var again = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now, Now + Lease);

        Assert.NotNull(claimed);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal("one", claimed.Owner);
        Assert.Null(again);
    }

    [Fact]
    public async Task Kinds_and_channels_are_delivered_separately()
    {
        var outbox = await CreateOutboxAsync();
        await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);

        Assert.NotNull(await outbox.TryClaimAsync("apr-1", NotificationKind.Resolution, "chat", "one", Now, Now + Lease));
        Assert.NotNull(await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "console", "one", Now, Now + Lease));
        Assert.NotNull(await outbox.TryClaimAsync("apr-2", NotificationKind.Announce, "chat", "one", Now, Now + Lease));
    }

    [Fact]
    public async Task A_lease_that_runs_out_lets_another_holder_take_over_and_fences_the_first()
    {
        var outbox = await CreateOutboxAsync();
        var first = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);

        Assert.Null(await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now + (Lease / 2), Now + Lease + Lease));
        var second = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now + Lease, Now + Lease + Lease);

        Assert.NotNull(second);
        Assert.Equal(2, second.Attempts);
        Assert.False(await outbox.MarkDeliveredAsync(first!, Now + Lease));
        Assert.True(await outbox.MarkDeliveredAsync(second, Now + Lease));
    }

    [Fact]
    public async Task A_holder_extends_its_lease_until_another_takes_over()
    {
        var outbox = await CreateOutboxAsync();
        var first = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);

        Assert.True(await outbox.ExtendLeaseAsync(first!, Now + Lease + Lease));
        Assert.Null(await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now + Lease, Now + Lease + Lease));
        var second = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now + Lease + Lease, Now.AddHours(1));

        Assert.NotNull(second);
        Assert.False(await outbox.ExtendLeaseAsync(first!, Now.AddHours(2)));
    }

    [Fact]
    public async Task A_delivered_notification_is_never_claimed_or_listed_again()
    {
        var outbox = await CreateOutboxAsync();
        var claimed = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);

        Assert.True(await outbox.MarkDeliveredAsync(claimed!, Now));

        Assert.Null(await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now.AddDays(1), Now.AddDays(2)));
        Assert.Empty(await outbox.ListDueAsync(Now.AddDays(1), 10));
    }

    [Fact]
    public async Task A_failure_frees_the_delivery_at_its_retry_time()
    {
        var outbox = await CreateOutboxAsync();
        var claimed = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now, Now + Lease);

        Assert.True(await outbox.RecordFailureAsync(claimed!, "webhook unreachable", Now.AddSeconds(10)));

        Assert.Empty(await outbox.ListDueAsync(Now.AddSeconds(9), 10));
        Assert.Null(await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "one", Now.AddSeconds(9), Now.AddSeconds(9) + Lease));
        var due = Assert.Single(await outbox.ListDueAsync(Now.AddSeconds(10), 10));
        Assert.Equal(("apr-1", NotificationKind.Announce, "chat", "webhook unreachable"), (due.ApprovalId, due.Kind, due.Channel, due.LastError));
        var retried = await outbox.TryClaimAsync("apr-1", NotificationKind.Announce, "chat", "two", Now.AddSeconds(10), Now.AddSeconds(10) + Lease);
        Assert.Equal(2, retried!.Attempts);
    }

    [Fact]
    public async Task Racing_claims_from_two_instances_give_one_holder()
    {
        var first = await CreateOutboxAsync();
        var second = await CreateSecondInstanceAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? first : second).TryClaimAsync("apr-1", NotificationKind.Announce, "chat", $"owner-{i}", Now, Now + Lease))));

        Assert.Single(claims, c => c is not null);
    }
}
