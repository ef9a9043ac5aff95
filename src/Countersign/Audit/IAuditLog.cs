namespace Countersign.Audit;

/// <summary>
/// An append-only, hash-chained log of everything the gate does. Appends are committed durably before the returned
/// task completes; concurrent appends may be grouped into one transaction.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends entries in order, chaining each to the one before, and commits them.</summary>
    /// <param name="entries">The entries, in order.</param>
    /// <param name="cancellationToken">Cancels the wait; an append already handed to the writer may still commit.</param>
    /// <returns>A task that completes when the entries are committed.</returns>
    /// <exception cref="CountersignStoreException">The entries could not be committed.</exception>
    ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads stored records in sequence order.</summary>
    /// <param name="afterSequence">Only records after this sequence; 0 reads from the start.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain and reports clean, or the first broken entry and why.</summary>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The verification result.</returns>
    ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default);
}
