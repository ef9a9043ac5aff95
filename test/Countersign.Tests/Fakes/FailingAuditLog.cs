using Countersign.Audit;

namespace Countersign.Tests.Fakes;

/// <summary>An audit log that fails on demand, wrapping a working one.</summary>
internal sealed class FailingAuditLog(IAuditLog inner) : IAuditLog
{
    /// <summary>Fails appends whose entries include this kind; null fails none.</summary>
    public AuditEventKind? FailOn { get; set; }

    public bool FailAll { get; set; }

    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        if (FailAll || (FailOn is { } kind && entries.Any(e => e.Kind == kind)))
        {
            throw new CountersignStoreException("audit disk is full", isTransient: false);
        }

        return inner.AppendAsync(entries, cancellationToken);
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(afterSequence, cancellationToken);

    public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => inner.VerifyAsync(cancellationToken);
}
