using System.Runtime.CompilerServices;

namespace Countersign.Approvals;

/// <summary>
/// An <see cref="IApprovalStore"/> that keeps requests in process memory: for tests, samples and single-process
/// tools where losing pending approvals on restart is acceptable. Thread-safe; every change is atomic.
/// </summary>
/// <remarks>
/// The change feed keeps the latest <see cref="FeedCapacity"/> events; a subscriber that falls further behind receives
/// an <see cref="ApprovalEventKind.Gap"/> event and goes on from the oldest event still kept.
/// </remarks>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    /// <summary>The number of feed events kept when none is given: 10,000.</summary>
    public const int DefaultFeedCapacity = 10_000;

    private const int FeedBatchSize = 256;

    private readonly State _state;

    /// <summary>Creates an empty store that keeps the latest <see cref="DefaultFeedCapacity"/> feed events.</summary>
    public InMemoryApprovalStore()
        : this(DefaultFeedCapacity)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="feedCapacity">How many of the latest feed events to keep for subscribers that fall behind.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="feedCapacity"/> is below 1.</exception>
    public InMemoryApprovalStore(int feedCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(feedCapacity, 1);
        _state = new State(feedCapacity);
    }

    private InMemoryApprovalStore(State state)
    {
        _state = state;
    }

    /// <summary>Gets how many of the latest feed events the store keeps.</summary>
    public int FeedCapacity => _state.Feed.Length;

    /// <summary>Gets how many waits are registered; a cancelled wait must not stay behind.</summary>
    internal int WaiterCount => _state.Waiters.Count;

    /// <summary>Gets how many feed subscribers are watching; an ended subscription must not stay behind.</summary>
    internal int WatcherCount => _state.Watchers.Count;

    /// <summary>Opens a second store over the same requests and feed, as a second process on one database would.</summary>
    internal InMemoryApprovalStore OpenSecondInstance() => new(_state);

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareNew(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state.Lock)
        {
            if (prepared.IdempotencyKey is { } key && _state.IdByIdempotencyKey.TryGetValue(key, out var existingId))
            {
                return ValueTask.FromResult(_state.ById[existingId].Request);
            }

            if (_state.ById.ContainsKey(prepared.Id))
            {
                throw new InvalidOperationException($"An approval request with the id '{prepared.Id}' already exists.");
            }

            _state.ById.Add(prepared.Id, new Slot(prepared, _state.NextOrder++));
            if (prepared.IdempotencyKey is { } newKey)
            {
                _state.IdByIdempotencyKey.Add(newKey, prepared.Id);
            }

            _state.Record(ApprovalEventKind.Created, prepared);
        }

        _state.Watchers.Notify();
        return ValueTask.FromResult(prepared);
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state.Lock)
        {
            return ValueTask.FromResult(_state.ById.TryGetValue(id, out var slot) ? slot.Request : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state.Lock)
        {
            return ValueTask.FromResult(_state.IdByIdempotencyKey.TryGetValue(idempotencyKey, out var id) ? _state.ById[id].Request : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        cancellationToken.ThrowIfCancellationRequested();
        ApprovalRequest? found = null;
        lock (_state.Lock)
        {
            foreach (var slot in _state.ById.Values)
            {
                if (string.Equals(slot.Request.ActionId, actionId, StringComparison.Ordinal)
                    && (found is null || CompareByCreation(slot.Request, found) < 0))
                {
                    found = slot.Request;
                }
            }
        }

        return ValueTask.FromResult(found);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ApprovalRequest> ListPendingAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<Slot> pending;
        lock (_state.Lock)
        {
            pending = [.. _state.ById.Values.Where(static slot => slot.Request.Status == ApprovalStatus.Pending)];
        }

        pending.Sort(static (a, b) =>
        {
            var byCreation = a.Request.CreatedAt.CompareTo(b.Request.CreatedAt);
            return byCreation != 0 ? byCreation : a.Order.CompareTo(b.Order);
        });

        foreach (var slot in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return slot.Request;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var newestFirst = query.Order == ApprovalOrder.NewestFirst;
        var matches = new List<ApprovalRequest>();
        long feedPosition;
        lock (_state.Lock)
        {
            feedPosition = _state.LastPosition;
            foreach (var slot in _state.ById.Values)
            {
                var seen = ApprovalTransitions.AsSeenAt(slot.Request, now);
                if (query.Matches(seen) && (query.After is not { } after || IsPast(seen, after, newestFirst)))
                {
                    matches.Add(seen);
                }
            }
        }

        matches.Sort(newestFirst ? static (a, b) => CompareByCreation(b, a) : CompareByCreation);
        if (matches.Count <= query.PageSize)
        {
            return ValueTask.FromResult(new ApprovalPage(matches, null, feedPosition));
        }

        var page = matches.GetRange(0, query.PageSize);
        return ValueTask.FromResult(new ApprovalPage(page, ApprovalCursor.After(page[^1]), feedPosition));
    }

    /// <inheritdoc />
    public ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareDecision(id, decision);
        cancellationToken.ThrowIfCancellationRequested();
        ReviewResult result;
        lock (_state.Lock)
        {
            if (!_state.ById.TryGetValue(id, out var slot))
            {
                return ValueTask.FromResult(new ReviewResult(ReviewResultKind.NotFound, null));
            }

            var (kind, changed) = ApprovalTransitions.Decide(slot.Request, prepared, grantExpiresAt);
            if (changed is null)
            {
                return ValueTask.FromResult(new ReviewResult(kind, slot.Request));
            }

            _state.ById[id] = slot with { Request = changed };
            _state.Record(ApprovalTransitions.ChangeKindOf(changed), changed);
            result = new ReviewResult(kind, changed);
        }

        _state.Changed(result.Request!);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(payloadHash);
        cancellationToken.ThrowIfCancellationRequested();
        ApprovalRequest consumed;
        lock (_state.Lock)
        {
            if (!_state.ById.TryGetValue(id, out var slot) || !ApprovalTransitions.CanConsume(slot.Request, payloadHash, now))
            {
                return ValueTask.FromResult(false);
            }

            consumed = ApprovalTransitions.Consume(slot.Request, now);
            _state.ById[id] = slot with { Request = consumed };
            _state.Record(ApprovalEventKind.Consumed, consumed);
        }

        _state.Changed(consumed);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        ApprovalRequest expired;
        lock (_state.Lock)
        {
            if (!_state.ById.TryGetValue(id, out var slot) || !ApprovalTransitions.CanExpire(slot.Request, now))
            {
                return ValueTask.FromResult(false);
            }

            expired = ExpireLocked(slot);
        }

        _state.Changed(expired);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var expired = new List<ApprovalRequest>();
        lock (_state.Lock)
        {
            var due = _state.ById.Values.Where(slot => ApprovalTransitions.CanExpire(slot.Request, now)).ToList();
            due.Sort(static (a, b) =>
            {
                var byExpiry = a.Request.ExpiresAt.CompareTo(b.Request.ExpiresAt);
                return byExpiry != 0 ? byExpiry : string.CompareOrdinal(a.Request.Id, b.Request.Id);
            });
            foreach (var slot in due)
            {
                expired.Add(ExpireLocked(slot));
            }
        }

        foreach (var request in expired)
        {
            _state.Changed(request);
        }

        return ValueTask.FromResult<IReadOnlyList<ApprovalRequest>>(expired);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) =>
        _state.Watchers.WatchAsync(afterPosition, _state.ReadPosition, _state.ReadAfter, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default) =>
        _state.Waiters.WaitAsync(id, ct => GetAsync(id, ct), cancellationToken);

    private static int CompareByCreation(ApprovalRequest a, ApprovalRequest b)
    {
        var byCreation = a.CreatedAt.CompareTo(b.CreatedAt);
        return byCreation != 0 ? byCreation : string.CompareOrdinal(a.Id, b.Id);
    }

    private static bool IsPast(ApprovalRequest request, ApprovalCursor cursor, bool newestFirst)
    {
        var byCreation = request.CreatedAt.CompareTo(cursor.CreatedAt);
        var comparison = byCreation != 0 ? byCreation : string.CompareOrdinal(request.Id, cursor.Id);
        return newestFirst ? comparison < 0 : comparison > 0;
    }

    private ApprovalRequest ExpireLocked(Slot slot)
    {
        var expired = ApprovalTransitions.Expire(slot.Request);
        _state.ById[expired.Id] = slot with { Request = expired };
        _state.Record(ApprovalEventKind.Expired, expired);
        return expired;
    }

    private sealed record Slot(ApprovalRequest Request, long Order);

    /// <summary>What a second instance over the same "database" shares: the requests, the feed and the wake-ups.</summary>
    private sealed class State(int feedCapacity)
    {
        public Lock Lock { get; } = new();

        public Dictionary<string, Slot> ById { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> IdByIdempotencyKey { get; } = new(StringComparer.Ordinal);

        public ApprovalWaiters Waiters { get; } = new();

        public ApprovalWatchers Watchers { get; } = new();

        /// <summary>Gets the ring of the latest events; the event at position p sits at p modulo the capacity.</summary>
        public ApprovalEvent[] Feed { get; } = new ApprovalEvent[feedCapacity];

        public long NextOrder { get; set; }

        public long LastPosition { get; private set; }

        /// <summary>Appends an event; the caller holds the lock.</summary>
        public void Record(ApprovalEventKind kind, ApprovalRequest request)
        {
            var position = ++LastPosition;
            Feed[position % Feed.Length] = new ApprovalEvent(position, kind, request);
        }

        /// <summary>Wakes waiters and subscribers after a change, outside the lock.</summary>
        public void Changed(ApprovalRequest request)
        {
            Waiters.Notify(request);
            Watchers.Notify();
        }

        public ValueTask<long> ReadPosition(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (Lock)
            {
                return ValueTask.FromResult(LastPosition);
            }
        }

        public ValueTask<IReadOnlyList<ApprovalEvent>> ReadAfter(long position, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (Lock)
            {
                if (position >= LastPosition)
                {
                    return ValueTask.FromResult<IReadOnlyList<ApprovalEvent>>([]);
                }

                var batch = new List<ApprovalEvent>();
                var oldest = Math.Max(1, LastPosition - Feed.Length + 1);
                if (position < oldest - 1)
                {
                    position = oldest - 1;
                    batch.Add(ApprovalEvent.Gap(position));
                }

                var last = Math.Min(LastPosition, position + FeedBatchSize);
                for (var p = position + 1; p <= last; p++)
                {
                    batch.Add(Feed[p % Feed.Length]);
                }

                return ValueTask.FromResult<IReadOnlyList<ApprovalEvent>>(batch);
            }
        }
    }
}
