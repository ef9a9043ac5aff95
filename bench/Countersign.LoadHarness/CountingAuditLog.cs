using Countersign.Audit;

namespace Countersign.LoadHarness;

/// <summary>
/// Passes appends to another audit log and counts their entries, for rows per second. It counts when an append starts
/// and hands back the inner log's own task, so it adds no await of its own to the measured path.
/// </summary>
internal sealed class CountingAuditLog(IAuditLog inner) : IAuditLog
{
    private long _entries;

    public long Entries => Interlocked.Read(ref _entries);

    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _entries, entries.Count);
        return inner.AppendAsync(entries, cancellationToken);
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) => inner.ReadAsync(afterSequence, cancellationToken);

    public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => inner.VerifyAsync(cancellationToken);
}
