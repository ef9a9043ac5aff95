namespace Countersign.Approvals;

/// <summary>
/// Durable home of approval requests. Every implementation passes the shared conformance suite: decisions enforce
/// separation of duties and quorums, and a grant is claimed at most once, by a conditional update.
/// </summary>
/// <remarks>
/// A store applies <see cref="ApprovalTransitions"/> to decide every change, wakes waiters through
/// <see cref="ApprovalWaiters"/> and feed subscribers through <see cref="ApprovalWatchers"/>, and records one
/// <see cref="ApprovalEvent"/> per committed change, in the same atomic step as the change itself. Stores receive
/// times as arguments; they never read a clock of their own for a rule.
/// </remarks>
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

    /// <summary>Finds the request created for an intercepted call.</summary>
    /// <param name="actionId">The call's identifier (<see cref="ApprovalRequest.ActionId"/>), as in the audit log and exceptions.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request (the earliest created, should several share the action id), or <see langword="null"/>.</returns>
    ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists requests whose stored status is pending, oldest first. It does not look at the clock; use
    /// <see cref="QueryAsync"/> for a list that treats requests past their expiry as expired.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pending requests.</returns>
    IAsyncEnumerable<ApprovalRequest> ListPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads one page of the requests <paramref name="query"/> selects, in its order, seen as of <paramref name="now"/>:
    /// a pending request whose expiry has passed is selected and returned as <see cref="ApprovalStatus.Expired"/>
    /// (<see cref="ApprovalTransitions.AsSeenAt"/>). Paging is by keyset: the next page starts strictly after
    /// <see cref="ApprovalPage.NextCursor"/>, so approvals created meanwhile never shift or repeat pages.
    /// </summary>
    /// <param name="query">The filters, order, page size and cursor.</param>
    /// <param name="now">The time the statuses are read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page, its continuation and the feed position it was read at.</returns>
    /// <exception cref="ArgumentException">The query is invalid (<see cref="ApprovalQuery.Validate"/>).</exception>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a reviewer's decision atomically. A denial resolves the request as denied; approvals from
    /// <see cref="ApprovalRequest.Quorum"/> distinct reviewers grant it, valid until <paramref name="grantExpiresAt"/>.
    /// </summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="decision">The reviewer's decision.</param>
    /// <param name="grantExpiresAt">When a grant made by this decision stops being usable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened and the request's new state.</returns>
    ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default);

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
    /// Expires every pending request whose timeout has passed at <paramref name="now"/>, whether or not anyone waits for
    /// it: waiters wake and the feed reports each as <see cref="ApprovalEventKind.Expired"/>. The
    /// <see cref="ApprovalExpirySweeper"/> calls it periodically.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The requests this call expired, in their new state, earliest expiry first.</returns>
    ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the store's changes (<see cref="ApprovalEvent"/>: created, reviewed, granted, denied, expired, consumed)
    /// in commit order, each with the approval as it was right after the change, until cancelled. Changes made through
    /// this store instance arrive at once; changes made by other processes sharing the database arrive when the store's
    /// change detection notices them.
    /// </summary>
    /// <remarks>
    /// A subscriber never slows the store down: the store's event log is the buffer. A store that keeps a bounded log
    /// reports a subscriber that fell further behind than it keeps, or that resumes from a position it no longer holds,
    /// with one <see cref="ApprovalEventKind.Gap"/> event: the subscriber then reads its approvals again
    /// (<see cref="QueryAsync"/>) and goes on with the events after the gap.
    /// </remarks>
    /// <param name="afterPosition">
    /// The last <see cref="ApprovalEvent.Position"/> the subscriber saw (or an <see cref="ApprovalPage.FeedPosition"/>),
    /// to resume after it; <see langword="null"/> for only the changes committed after the enumeration starts.
    /// </param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The changes, in order.</returns>
    IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the request is no longer pending, woken by the decision itself when it was made through this
    /// store instance, and by the store's change detection when another process made it.
    /// </summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="cancellationToken">Cancels the wait; the gate uses it for the timeout.</param>
    /// <returns>The resolved request.</returns>
    ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default);
}
