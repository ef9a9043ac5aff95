using System.Runtime.CompilerServices;

namespace Countersign.Approvals;

/// <summary>
/// An <see cref="IApprovalStore"/> that keeps requests in process memory: for tests, samples and single-process
/// tools where losing pending approvals on restart is acceptable. Thread-safe; every change is atomic.
/// </summary>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Slot> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly ApprovalWaiters _waiters = new();
    private long _nextOrder;

    /// <summary>Gets how many waits are registered; a cancelled wait must not stay behind.</summary>
    internal int WaiterCount => _waiters.Count;

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareNew(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (prepared.IdempotencyKey is { } key && _idByIdempotencyKey.TryGetValue(key, out var existingId))
            {
                return ValueTask.FromResult(_byId[existingId].Request);
            }

            if (_byId.ContainsKey(prepared.Id))
            {
                throw new InvalidOperationException($"An approval request with the id '{prepared.Id}' already exists.");
            }

            _byId.Add(prepared.Id, new Slot(prepared, _nextOrder++));
            if (prepared.IdempotencyKey is { } newKey)
            {
                _idByIdempotencyKey.Add(newKey, prepared.Id);
            }

            return ValueTask.FromResult(prepared);
        }
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.TryGetValue(id, out var slot) ? slot.Request : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_idByIdempotencyKey.TryGetValue(idempotencyKey, out var id) ? _byId[id].Request : null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ApprovalRequest> ListPendingAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<Slot> pending;
        lock (_lock)
        {
            pending = [.. _byId.Values.Where(static slot => slot.Request.Status == ApprovalStatus.Pending)];
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
    public ValueTask<DecisionResult> RecordDecisionAsync(string id, ReviewerDecision decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareDecision(id, decision);
        cancellationToken.ThrowIfCancellationRequested();
        DecisionResult result;
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var slot))
            {
                return ValueTask.FromResult(new DecisionResult(DecisionResultKind.NotFound, null));
            }

            var (kind, changed) = ApprovalTransitions.Decide(slot.Request, prepared, grantExpiresAt);
            if (changed is not null)
            {
                _byId[id] = slot with { Request = changed };
            }

            result = new DecisionResult(kind, changed ?? slot.Request);
        }

        _waiters.Notify(result.Request!);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(payloadHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var slot) || !ApprovalTransitions.CanConsume(slot.Request, payloadHash, now))
            {
                return ValueTask.FromResult(false);
            }

            _byId[id] = slot with { Request = slot.Request with { Status = ApprovalStatus.Consumed, ConsumedAt = now } };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        ApprovalRequest expired;
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var slot) || !ApprovalTransitions.CanExpire(slot.Request, now))
            {
                return ValueTask.FromResult(false);
            }

            expired = slot.Request with { Status = ApprovalStatus.Expired };
            _byId[id] = slot with { Request = expired };
        }

        _waiters.Notify(expired);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default) =>
        _waiters.WaitAsync(id, ct => GetAsync(id, ct), cancellationToken);

    private sealed record Slot(ApprovalRequest Request, long Order);
}
