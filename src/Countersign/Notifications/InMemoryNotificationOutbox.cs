namespace Countersign.Notifications;

/// <summary>An <see cref="INotificationOutbox"/> in process memory, for tests and single-process use; nothing survives a restart.</summary>
public sealed class InMemoryNotificationOutbox : INotificationOutbox
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string ApprovalId, NotificationKind Kind, string Channel), NotificationDelivery> _deliveries = [];

    /// <inheritdoc/>
    public ValueTask<NotificationDelivery?> TryClaimAsync(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckClaim(approvalId, kind, channel, owner, now, leaseUntil);
        lock (_lock)
        {
            NotificationDelivery claimed;
            if (_deliveries.TryGetValue((approvalId, kind, channel), out var existing))
            {
                if (existing.DeliveredAt is not null || existing.DueAt > now)
                {
                    return ValueTask.FromResult<NotificationDelivery?>(null);
                }

                claimed = existing with { Owner = owner, Attempts = existing.Attempts + 1, DueAt = leaseUntil };
            }
            else
            {
                claimed = new NotificationDelivery { ApprovalId = approvalId, Kind = kind, Channel = channel, Owner = owner, Attempts = 1, DueAt = leaseUntil };
            }

            _deliveries[(approvalId, kind, channel)] = claimed;
            return ValueTask.FromResult<NotificationDelivery?>(claimed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ExtendLeaseAsync(NotificationDelivery delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        Settle(delivery, current => current with { DueAt = leaseUntil });

    /// <inheritdoc/>
    public ValueTask<bool> MarkDeliveredAsync(NotificationDelivery delivery, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default) =>
        Settle(delivery, current => current with { DeliveredAt = deliveredAt });

    /// <inheritdoc/>
    public ValueTask<bool> RecordFailureAsync(NotificationDelivery delivery, string errorMessage, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        Settle(delivery, current => current with { LastError = errorMessage, DueAt = nextAttemptAt });

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<NotificationDelivery>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<NotificationDelivery>>(
                [.. _deliveries.Values.Where(d => d.DeliveredAt is null && d.DueAt <= now).OrderBy(d => d.DueAt).Take(limit)]);
        }
    }

    private ValueTask<bool> Settle(NotificationDelivery delivery, Func<NotificationDelivery, NotificationDelivery> change)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        lock (_lock)
        {
            var key = (delivery.ApprovalId, delivery.Kind, delivery.Channel);
            if (!_deliveries.TryGetValue(key, out var current)
                || current.DeliveredAt is not null
                || current.Owner != delivery.Owner
                || current.Attempts != delivery.Attempts)
            {
                return ValueTask.FromResult(false);
            }

            _deliveries[key] = change(current);
            return ValueTask.FromResult(true);
        }
    }
}
