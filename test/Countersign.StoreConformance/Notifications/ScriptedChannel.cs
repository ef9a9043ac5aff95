using System.Collections.Concurrent;
using System.Threading.Channels;
using Countersign.Approvals;
using Countersign.Channels;

namespace Countersign.StoreConformance.Notifications;

/// <summary>
/// A channel whose announcements run a script (succeed, throw, wait until cancelled) and which records every
/// announcement and resolution it is given.
/// </summary>
/// <param name="name">The channel's name.</param>
/// <param name="onNotify">Runs for each announcement with its 1-based call number; nothing when <see langword="null"/>.</param>
public sealed class ScriptedChannel(string name = "test", Func<int, CancellationToken, ValueTask>? onNotify = null) : IApprovalChannel
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly Channel<ApprovalRequest> _notified = Channel.CreateUnbounded<ApprovalRequest>();
    private readonly Channel<ApprovalRequest> _resolved = Channel.CreateUnbounded<ApprovalRequest>();
    private int _calls;

    /// <inheritdoc />
    public string Name => name;

    /// <summary>Gets every approval announced to this channel, in call order, failed calls included.</summary>
    public ConcurrentQueue<ApprovalRequest> Announced { get; } = new();

    /// <summary>Gets how many times the channel was asked to announce.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public async ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        Announced.Enqueue(request);
        _notified.Writer.TryWrite(request);
        if (onNotify is not null)
        {
            await onNotify(call, cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask ResolvedAsync(ApprovalRequest approval, CancellationToken cancellationToken)
    {
        _resolved.Writer.TryWrite(approval);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for the next announcement.</summary>
    /// <returns>The approval announced.</returns>
    public Task<ApprovalRequest> NextAnnouncedAsync() => _notified.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

    /// <summary>Waits for the next resolution.</summary>
    /// <returns>The approval as it was resolved.</returns>
    public Task<ApprovalRequest> NextResolvedAsync() => _resolved.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);
}
