namespace Countersign.Approvals;

/// <summary>
/// The callers waiting for approval requests to resolve, keyed by request id: the in-process half of
/// <see cref="IApprovalStore.WaitForResolutionAsync"/>. A store calls <see cref="Notify"/> after it commits a change,
/// so a wait costs nothing until the decision arrives: no polling, no timers. Thread-safe.
/// </summary>
/// <remarks>
/// A store shared by several processes also needs to notice changes other processes commit: it calls
/// <see cref="Notify"/> with what it reads back for <see cref="WaitedIds"/> whenever its change detection fires, and
/// can start that detection from the <c>firstWaiterAdded</c> callback so that nothing runs while nobody waits.
/// </remarks>
public sealed class ApprovalWaiters
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<TaskCompletionSource<ApprovalRequest>>> _byId = new(StringComparer.Ordinal);
    private readonly Action? _firstWaiterAdded;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="firstWaiterAdded">
    /// Called (outside the lock, on the waiting caller's thread) when a waiter arrives while none were waiting: a store
    /// starts its change detection there. It must not throw.
    /// </param>
    public ApprovalWaiters(Action? firstWaiterAdded = null)
    {
        _firstWaiterAdded = firstWaiterAdded;
    }

    /// <summary>Gets how many waits are registered; change detection may stop at zero, and a cancelled wait leaves none behind.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                var count = 0;
                foreach (var list in _byId.Values)
                {
                    count += list.Count;
                }

                return count;
            }
        }
    }

    /// <summary>Gets the ids someone is waiting for.</summary>
    /// <returns>A snapshot of the ids, each once.</returns>
    public string[] WaitedIds()
    {
        lock (_lock)
        {
            return [.. _byId.Keys];
        }
    }

    /// <summary>
    /// Waits until the request is resolved. The waiter is registered before the current state is read, so a decision
    /// made between the read and the wait still wakes it.
    /// </summary>
    /// <param name="id">The request id.</param>
    /// <param name="read">Reads the request's current state.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The resolved request.</returns>
    /// <exception cref="InvalidOperationException">No request has the id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the waiter is removed.</exception>
    public async ValueTask<ApprovalRequest> WaitAsync(string id, Func<CancellationToken, ValueTask<ApprovalRequest?>> read, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(read);
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = Add(id);
        try
        {
            var current = await read(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No approval request has the id '{id}'.");
            if (current.IsResolved)
            {
                return current;
            }

            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Remove(id, waiter);
        }
    }

    /// <summary>Wakes everyone waiting for <paramref name="request"/> if it is resolved; does nothing otherwise.</summary>
    /// <param name="request">The request's state after a committed change.</param>
    public void Notify(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResolved)
        {
            return;
        }

        List<TaskCompletionSource<ApprovalRequest>>? waiting;
        lock (_lock)
        {
            if (!_byId.Remove(request.Id, out waiting))
            {
                return;
            }
        }

        foreach (var waiter in waiting)
        {
            waiter.TrySetResult(request);
        }
    }

    /// <summary>Fails every wait, for a store that is shutting down: callers learn now instead of at their timeout.</summary>
    /// <param name="error">The exception every waiting caller receives.</param>
    public void FailAll(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        List<TaskCompletionSource<ApprovalRequest>> waiting = [];
        lock (_lock)
        {
            foreach (var list in _byId.Values)
            {
                waiting.AddRange(list);
            }

            _byId.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.TrySetException(error);
        }
    }

    private TaskCompletionSource<ApprovalRequest> Add(string id)
    {
        var waiter = new TaskCompletionSource<ApprovalRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool first;
        lock (_lock)
        {
            first = _byId.Count == 0;
            if (!_byId.TryGetValue(id, out var list))
            {
                list = [];
                _byId.Add(id, list);
            }

            list.Add(waiter);
        }

        if (first)
        {
            _firstWaiterAdded?.Invoke();
        }

        return waiter;
    }

    private void Remove(string id, TaskCompletionSource<ApprovalRequest> waiter)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var list) && list.Remove(waiter) && list.Count == 0)
            {
                _byId.Remove(id);
            }
        }
    }
}
