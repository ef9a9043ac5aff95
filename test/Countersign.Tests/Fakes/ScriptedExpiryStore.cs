using Countersign.Approvals;

namespace Countersign.Tests.Fakes;

/// <summary>An in-memory store whose <see cref="ExpireDueAsync"/> first runs a test's callback, which may throw.</summary>
internal sealed class ScriptedExpiryStore(InMemoryApprovalStore inner, Action<int> beforeExpireDue) : IApprovalStore
{
    private int _calls;

    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default) => inner.CreateOrGetAsync(request, cancellationToken);

    public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken);

    public ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default) => inner.FindByActionIdAsync(actionId, cancellationToken);

    public IAsyncEnumerable<ApprovalRequest> ListPendingAsync(CancellationToken cancellationToken = default) => inner.ListPendingAsync(cancellationToken);

    public ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.QueryAsync(query, now, cancellationToken);

    public ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default) => inner.RecordReviewAsync(id, decision, grantExpiresAt, cancellationToken);

    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryConsumeAsync(id, payloadHash, now, cancellationToken);

    public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryExpireAsync(id, now, cancellationToken);

    public ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        beforeExpireDue(Interlocked.Increment(ref _calls));
        return inner.ExpireDueAsync(now, cancellationToken);
    }

    public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) => inner.WatchAsync(afterPosition, cancellationToken);

    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default) => inner.WaitForResolutionAsync(id, cancellationToken);
}
