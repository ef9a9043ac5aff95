using System.Runtime.CompilerServices;

namespace Countersign.Approvals;

/// <summary>
/// The subscribers of a store's change feed: the in-process half of <see cref="IApprovalStore.WatchAsync"/>. Each
/// subscriber reads the store's events after the last position it delivered, and sleeps until <see cref="Notify"/>
/// says something changed: no polling, no timers. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The store's own event log is the buffer: a subscriber holds nothing but its position, so a slow consumer costs the
/// store nothing and never blocks a write. A store that keeps a bounded log reports a subscriber that fell further
/// behind with an <see cref="ApprovalEventKind.Gap"/> event from its read function.
/// </para>
/// <para>
/// A store calls <see cref="Notify"/> after it commits a change. A store shared by several processes also calls it
/// when its change detection notices another process's commit, and can start that detection from the
/// <c>firstWatcherAdded</c> callback so that nothing runs while nobody watches.
/// </para>
/// </remarks>
public sealed class ApprovalWatchers
{
    private readonly Lock _lock = new();
    private readonly Action? _firstWatcherAdded;
    private TaskCompletionSource _changed = NewSignal();
    private int _count;
    private Exception? _failure;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="firstWatcherAdded">
    /// Called (outside the lock, on the subscriber's thread) when a subscriber arrives while none were watching: a store
    /// starts its change detection there. It must not throw.
    /// </param>
    public ApprovalWatchers(Action? firstWatcherAdded = null)
    {
        _firstWatcherAdded = firstWatcherAdded;
    }

    /// <summary>Gets how many subscribers are watching; change detection may stop at zero.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Streams the events after <paramref name="afterPosition"/>, in order, until cancelled: reads what is there, then
    /// waits for <see cref="Notify"/> and reads again.
    /// </summary>
    /// <param name="afterPosition">
    /// The last position the subscriber saw, or <see langword="null"/> to start with the changes committed after the
    /// enumeration starts (the position is read during the first <c>MoveNextAsync</c>).
    /// </param>
    /// <param name="readPosition">Reads the position of the latest committed change (0 when there is none).</param>
    /// <param name="readAfter">
    /// Reads a batch of the events after a position, in order, empty when there is none; a store that no longer holds
    /// the events right after the position returns <see cref="ApprovalEvent.Gap"/> first.
    /// </param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<ApprovalEvent> WatchAsync(
        long? afterPosition,
        Func<CancellationToken, ValueTask<long>> readPosition,
        Func<long, CancellationToken, ValueTask<IReadOnlyList<ApprovalEvent>>> readAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (afterPosition is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterPosition), afterPosition, "A feed position is never negative.");
        }

        ArgumentNullException.ThrowIfNull(readPosition);
        ArgumentNullException.ThrowIfNull(readAfter);
        cancellationToken.ThrowIfCancellationRequested();
        Add();
        try
        {
            var position = afterPosition ?? await readPosition(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                // Take the signal before reading: a change committed after the read completes it, so none is missed.
                var changed = CurrentSignal();
                var batch = await readAfter(position, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var change in batch)
                {
                    if (change.Position <= position && !change.IsGap)
                    {
                        continue;
                    }

                    position = change.Position;
                    yield return change;
                }
            }
        }
        finally
        {
            Remove();
        }
    }

    /// <summary>Wakes every subscriber to read the events committed since its last read.</summary>
    public void Notify()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_count == 0 || _failure is not null)
            {
                return;
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>Ends every subscription, and refuses new ones, with <paramref name="error"/>: for a store that is shutting down.</summary>
    /// <param name="error">The exception every subscriber receives.</param>
    public void FailAll(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        TaskCompletionSource changed;
        lock (_lock)
        {
            _failure ??= error;
            changed = _changed;
        }

        changed.TrySetException(_failure);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task CurrentSignal()
    {
        lock (_lock)
        {
            return _failure is null ? _changed.Task : Task.FromException(_failure);
        }
    }

    private void Add()
    {
        bool first;
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            first = _count++ == 0;
        }

        if (first)
        {
            _firstWatcherAdded?.Invoke();
        }
    }

    private void Remove()
    {
        lock (_lock)
        {
            _count--;
        }
    }
}
