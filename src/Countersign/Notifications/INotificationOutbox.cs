namespace Countersign.Notifications;

/// <summary>
/// The delivery ledger of channel notifications: one entry per approval, <see cref="NotificationKind"/> and channel,
/// shared by every process on the store, so that each notification reaches each channel once and a failed one is tried
/// again by whichever process gets to it first. Stores implement it beside <see cref="Approvals.IApprovalStore"/>; the
/// approval's own change feed is what makes a notification durable, this ledger only records who delivered it.
/// </summary>
/// <remarks>Times come in as arguments; an outbox never reads a clock.</remarks>
public interface INotificationOutbox
{
    /// <summary>
    /// Claims a delivery for <paramref name="owner"/> until <paramref name="leaseUntil"/>, atomically across every
    /// process sharing the store: succeeds when the delivery is new, or not yet delivered and due (its lease ran out,
    /// or its retry time came) at <paramref name="now"/>.
    /// </summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="kind">What the channel is told.</param>
    /// <param name="channel">The channel's name.</param>
    /// <param name="owner">The claiming dispatcher.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">When another dispatcher may take the delivery over if this one neither settles it nor records a failure.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claimed delivery, or <see langword="null"/> when it was delivered or is held or waiting for its retry time.</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<NotificationDelivery?> TryClaimAsync(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Moves the end of the lease of the claim <paramref name="delivery"/>, for a channel call that takes longer than one lease.</summary>
    /// <param name="delivery">The delivery as its claim returned it.</param>
    /// <param name="leaseUntil">The new end of the lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the claim is no longer the latest (another dispatcher took it over) or was settled.</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<bool> ExtendLeaseAsync(NotificationDelivery delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Records that the claim <paramref name="delivery"/> succeeded (or has nothing left to deliver); it is never claimed again.</summary>
    /// <param name="delivery">The delivery as its claim returned it.</param>
    /// <param name="deliveredAt">When it was delivered.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the claim is no longer the latest (another dispatcher took it over).</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<bool> MarkDeliveredAsync(NotificationDelivery delivery, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default);

    /// <summary>Records that the claim <paramref name="delivery"/> failed, releasing it until <paramref name="nextAttemptAt"/>.</summary>
    /// <param name="delivery">The delivery as its claim returned it.</param>
    /// <param name="errorMessage">What went wrong.</param>
    /// <param name="nextAttemptAt">When it may be claimed again.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the claim is no longer the latest (another dispatcher took it over).</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<bool> RecordFailureAsync(NotificationDelivery delivery, string errorMessage, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default);

    /// <summary>Lists deliveries not yet delivered whose lease or retry time has passed at <paramref name="now"/>, earliest due first.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="limit">The most to return, at least 1.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The due deliveries; claim each before delivering it.</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<IReadOnlyList<NotificationDelivery>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
