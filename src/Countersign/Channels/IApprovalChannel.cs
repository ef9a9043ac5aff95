using Countersign.Approvals;

namespace Countersign.Channels;

/// <summary>
/// Tells reviewers that an approval request is waiting: a terminal prompt, a chat message, a webhook. A channel that can
/// collect the answer itself (such as the console) records it through the <see cref="ReviewRecorder"/> it is given.
/// </summary>
/// <remarks>A channel that fails only logs: the request stays pending in the store and can be reviewed elsewhere.</remarks>
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
}
