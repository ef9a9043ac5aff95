namespace Countersign.Execution;

/// <summary>
/// Holds, per idempotency key, the one execution the key allows, so that a retried call (on any path: allowed,
/// approved, shadow) never runs twice and gets the first call's outcome instead. Stores implement it beside
/// <see cref="Approvals.IApprovalStore"/>; <see cref="TryBeginAsync"/> must be atomic across every process sharing the store.
/// </summary>
public interface IExecutionLedger
{
    /// <summary>Claims <see cref="ExecutionRecord.IdempotencyKey"/> for <paramref name="record"/>, unless the key was claimed before.</summary>
    /// <param name="record">The execution about to start, with status <see cref="ExecutionStatus.Running"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="null"/> when this call holds the key now; otherwise the earlier execution.</returns>
    /// <exception cref="CountersignStoreException">The store cannot be reached.</exception>
    ValueTask<ExecutionRecord?> TryBeginAsync(ExecutionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records how the execution that holds <paramref name="idempotencyKey"/> ended.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="actionId">The call that holds it; a different holder is left unchanged.</param>
    /// <param name="status"><see cref="ExecutionStatus.Succeeded"/> or <see cref="ExecutionStatus.Failed"/>.</param>
    /// <param name="resultJson">The result to hand to retries, or <see langword="null"/>.</param>
    /// <param name="errorMessage">The error, when it failed.</param>
    /// <param name="completedAt">When it ended.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the outcome is durable.</returns>
    ValueTask CompleteAsync(string idempotencyKey, string actionId, ExecutionStatus status, string? resultJson, string? errorMessage, DateTimeOffset completedAt, CancellationToken cancellationToken = default);

    /// <summary>Gives up a claim that never ran (its approval could not be used, say), so the key is free again.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="actionId">The call that holds it; a different holder, or a finished execution, is left unchanged.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim is released.</returns>
    ValueTask ReleaseAsync(string idempotencyKey, string actionId, CancellationToken cancellationToken = default);
}
