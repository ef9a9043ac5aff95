using Countersign.Approvals;

namespace Countersign.Channels;

/// <summary>
/// Tells reviewers that an approval request is waiting: a terminal prompt, a chat message, a webhook. A channel that can
/// collect the answer itself (such as the console) records it through the <see cref="ReviewRecorder"/> it is given.
/// </summary>
/// <remarks>
/// The <see cref="Notifications.NotificationDispatcher"/> calls a channel, once per approval across every process sharing
/// the store, and tries a failed call again later; a channel that fails never affects the guarded call, and the request
/// stays pending in the store to be reviewed elsewhere.
/// </remarks>
public interface IApprovalChannel
{
    /// <summary>Gets the channel's name, recorded as the decision source (for example <c>console</c>).</summary>
    string Name { get; }

    /// <summary>Notifies reviewers of <paramref name="request"/>.</summary>
    /// <param name="request">The pending request, with arguments already redacted.</param>
    /// <param name="reviews">Records a decision the channel collects.</param>
    /// <param name="cancellationToken">Cancelled when the request is resolved elsewhere or times out.</param>
    /// <returns>A task that completes when the channel is done with the request.</returns>
    ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the channel that <paramref name="approval"/> was granted, denied, expired or used, wherever that happened,
    /// so it can update what it showed (edit a chat message, say). Does nothing unless the channel overrides it.
    /// </summary>
    /// <param name="approval">The approval as it was resolved.</param>
    /// <param name="cancellationToken">Cancelled when the dispatcher stops.</param>
    /// <returns>A task that completes when the channel is done.</returns>
    ValueTask ResolvedAsync(ApprovalRequest approval, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
