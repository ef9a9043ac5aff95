namespace Countersign.Notifications;

/// <summary>
/// One channel's delivery of one notification about one approval, as the <see cref="INotificationOutbox"/> holds it.
/// A claim returns it with <see cref="Owner"/> and <see cref="Attempts"/> set; together they name that claim, so a
/// holder whose lease ran out and was taken over cannot settle the newer attempt.
/// </summary>
public sealed record NotificationDelivery
{
    /// <summary>Gets the approval the notification is about.</summary>
    public required string ApprovalId { get; init; }

    /// <summary>Gets what the channel is told.</summary>
    public required NotificationKind Kind { get; init; }

    /// <summary>Gets the channel's name (<see cref="Channels.IApprovalChannel.Name"/>).</summary>
    public required string Channel { get; init; }

    /// <summary>Gets the dispatcher that made the latest claim.</summary>
    public required string Owner { get; init; }

    /// <summary>Gets how many times the delivery was claimed, this claim included.</summary>
    public required int Attempts { get; init; }

    /// <summary>Gets when the delivery may be claimed again: the end of the lease while it is held, the next attempt after a failure.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Gets when the delivery succeeded, or <see langword="null"/> while it has not.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>Gets the error of the latest failed attempt, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }
}
