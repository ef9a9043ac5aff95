namespace Countersign.Notifications;

/// <summary>Argument checks every <see cref="INotificationOutbox"/> applies, so stores refuse the same misuse.</summary>
public static class NotificationOutboxRules
{
    /// <summary>Checks the arguments of <see cref="INotificationOutbox.TryClaimAsync"/>.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="kind">What the channel is told.</param>
    /// <param name="channel">The channel's name.</param>
    /// <param name="owner">The claiming dispatcher.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">The end of the lease.</param>
    /// <exception cref="ArgumentException">An argument is missing or the lease ends before <paramref name="now"/>.</exception>
    public static void CheckClaim(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a notification kind.");
        }

        if (leaseUntil <= now)
        {
            throw new ArgumentException("The lease must end after now.", nameof(leaseUntil));
        }
    }

    /// <summary>Checks a delivery handed back to settle it.</summary>
    /// <param name="delivery">The delivery as its claim returned it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is <see langword="null"/>.</exception>
    public static void CheckSettle(NotificationDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.ApprovalId, nameof(delivery));
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.Channel, nameof(delivery));
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.Owner, nameof(delivery));
    }
}
