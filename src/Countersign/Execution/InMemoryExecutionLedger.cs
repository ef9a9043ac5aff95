namespace Countersign.Execution;

/// <summary>An <see cref="IExecutionLedger"/> in process memory, for tests and single-process use; nothing survives a restart.</summary>
public sealed class InMemoryExecutionLedger : IExecutionLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ExecutionRecord> _byKey = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<ExecutionRecord?> TryBeginAsync(ExecutionRecord record, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckNew(record);
        lock (_lock)
        {
            if (_byKey.TryGetValue(record.IdempotencyKey, out var existing))
            {
                return ValueTask.FromResult<ExecutionRecord?>(existing);
            }

            _byKey.Add(record.IdempotencyKey, record);
            return ValueTask.FromResult<ExecutionRecord?>(null);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(string idempotencyKey, string actionId, ExecutionStatus status, string? resultJson, string? errorMessage, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckCompletion(idempotencyKey, actionId, status);
        lock (_lock)
        {
            if (_byKey.TryGetValue(idempotencyKey, out var existing) && existing.ActionId == actionId && existing.Status == ExecutionStatus.Running)
            {
                _byKey[idempotencyKey] = existing with { Status = status, ResultJson = resultJson, Error = errorMessage, CompletedAt = completedAt };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(string idempotencyKey, string actionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(idempotencyKey, out var existing) && existing.ActionId == actionId && existing.Status == ExecutionStatus.Running)
            {
                _byKey.Remove(idempotencyKey);
            }
        }

        return ValueTask.CompletedTask;
    }
}
