using Countersign.Audit;

namespace Countersign.LoadHarness;

/// <summary>An audit log that keeps nothing: isolates the gate's own cost from the store's in the throughput figures.</summary>
internal sealed class DiscardingAuditLog : IAuditLog
{
    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(AuditVerificationResult.Clean(0));
}
