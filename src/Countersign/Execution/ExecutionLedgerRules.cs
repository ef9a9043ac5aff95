namespace Countersign.Execution;

/// <summary>Argument checks every <see cref="IExecutionLedger"/> applies, so stores agree on what they accept.</summary>
public static class ExecutionLedgerRules
{
    /// <summary>Checks a record offered to <see cref="IExecutionLedger.TryBeginAsync"/>.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentException">A field is missing, or the record is not a new, running execution.</exception>
    public static void CheckNew(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.IdempotencyKey, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.ActionId, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.ToolName, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.PayloadHash, nameof(record));
        if (record.Status != ExecutionStatus.Running || record.CompletedAt is not null)
        {
            throw new ArgumentException("A new execution must be running and not completed.", nameof(record));
        }
    }

    /// <summary>Checks the arguments of <see cref="IExecutionLedger.CompleteAsync"/>.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="actionId">The holder.</param>
    /// <param name="status">The final status.</param>
    /// <exception cref="ArgumentException">An argument is empty, or the status is not final.</exception>
    public static void CheckCompletion(string idempotencyKey, string actionId, ExecutionStatus status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        if (status is not (ExecutionStatus.Succeeded or ExecutionStatus.Failed))
        {
            throw new ArgumentException($"An execution ends as succeeded or failed, not {status}.", nameof(status));
        }
    }
}
