namespace Countersign.Approvals;

/// <summary>
/// Durable home of approval requests. Every implementation passes the shared conformance suite: decisions enforce
/// separation of duties and quorums, and a grant is claimed at most once, by a conditional update.
/// </summary>
public interface IApprovalStore
{
    /// <summary>
    /// Stores <paramref name="request"/>, or, when a request with the same idempotency key exists, returns that one
    /// unchanged (the caller re-attaches to it).
    /// </summary>
    /// <param name="request">The new pending request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored request: the new one or the existing one with the same idempotency key.</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached or refused the write.</exception>
    ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads one request.</summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request, or <see langword="null"/>.</returns>
    ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Finds the request created with an idempotency key.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request, or <see langword="null"/>.</returns>
    ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Lists requests still waiting for reviewers, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pending requests.</returns>
    IAsyncEnumerable<ApprovalRequest> ListPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a reviewer's decision atomically. A denial resolves the request as denied; approvals from
    /// <see cref="ApprovalRequest.Quorum"/> distinct reviewers grant it, valid until <paramref name="grantExpiresAt"/>.
    /// </summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="decision">The reviewer's decision.</param>
    /// <param name="grantExpiresAt">When a grant made by this decision stops being usable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened and the request's new state.</returns>
    ValueTask<DecisionResult> RecordDecisionAsync(string id, ReviewerDecision decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a grant for one execution: succeeds only if the request is granted, its payload hash equals
    /// <paramref name="payloadHash"/> and the grant has not expired at <paramref name="now"/>. At most one caller ever succeeds.
    /// </summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="payloadHash">The hash of the payload about to run.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> if this caller holds the claim and may execute.</returns>
    ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks a pending request expired if its timeout has passed at <paramref name="now"/>.</summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> if this call expired it.</returns>
    ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the request is no longer pending, woken by the decision itself when it was made through this
    /// store instance, and by the store's change detection when another process made it.
    /// </summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="cancellationToken">Cancels the wait; the gate uses it for the timeout.</param>
    /// <returns>The resolved request.</returns>
    ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default);
}
