using System.Threading.Channels;
using Countersign.Notifications;

namespace Countersign.StoreConformance.Notifications;

/// <summary>An outbox that hands the test each delivery settled through it, so a test waits for events rather than time.</summary>
public sealed class SignalingOutbox(INotificationOutbox inner) : INotificationOutbox
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly Channel<NotificationDelivery> _delivered = Channel.CreateUnbounded<NotificationDelivery>();
    private readonly Channel<NotificationDelivery> _failed = Channel.CreateUnbounded<NotificationDelivery>();
    private readonly Channel<NotificationDelivery> _extended = Channel.CreateUnbounded<NotificationDelivery>();

    /// <inheritdoc />
    public ValueTask<NotificationDelivery?> TryClaimAsync(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        inner.TryClaimAsync(approvalId, kind, channel, owner, now, leaseUntil, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> ExtendLeaseAsync(NotificationDelivery delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var extended = await inner.ExtendLeaseAsync(delivery, leaseUntil, cancellationToken);
        if (extended)
        {
            _extended.Writer.TryWrite(delivery with { DueAt = leaseUntil });
        }

        return extended;
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkDeliveredAsync(NotificationDelivery delivery, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default)
    {
        var settled = await inner.MarkDeliveredAsync(delivery, deliveredAt, cancellationToken);
        if (settled)
        {
            _delivered.Writer.TryWrite(delivery with { DeliveredAt = deliveredAt });
        }

        return settled;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordFailureAsync(NotificationDelivery delivery, string errorMessage, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default)
    {
        var settled = await inner.RecordFailureAsync(delivery, errorMessage, nextAttemptAt, cancellationToken);
        if (settled)
        {
            _failed.Writer.TryWrite(delivery with { LastError = errorMessage, DueAt = nextAttemptAt });
        }

        return settled;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NotificationDelivery>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        inner.ListDueAsync(now, limit, cancellationToken);

    /// <summary>Waits for the next delivery recorded as delivered.</summary>
    /// <returns>The delivery.</returns>
    public Task<NotificationDelivery> NextDeliveredAsync() => _delivered.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

    /// <summary>Waits for the next lease extended.</summary>
    /// <returns>The delivery, with the new end of its lease.</returns>
    public Task<NotificationDelivery> NextExtendedAsync() => _extended.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

    /// <summary>Waits for the next failure recorded.</summary>
    /// <returns>The delivery, with its next attempt time.</returns>
    public Task<NotificationDelivery> NextFailureAsync() => _failed.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);
}
