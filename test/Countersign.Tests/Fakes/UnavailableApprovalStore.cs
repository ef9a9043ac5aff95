using Countersign.Approvals;

namespace Countersign.Tests.Fakes;

/// <summary>A store whose database is down.</summary>
internal sealed class UnavailableApprovalStore : IApprovalStore
{
    private static CountersignStoreException Down() => new("connection refused", isTransient: true);

    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default) => throw Down();

    public IAsyncEnumerable<ApprovalRequest> ListPendingAsync(CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();

    public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default) => throw Down();
}
