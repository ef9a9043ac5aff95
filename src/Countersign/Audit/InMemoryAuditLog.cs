using System.Runtime.CompilerServices;

namespace Countersign.Audit;

/// <summary>
/// An <see cref="IAuditLog"/> held in process memory, chained with the same MAC rules as the durable logs: for tests,
/// samples and short-lived tools. Entries are lost when the process ends.
/// </summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditRecord> _records = [];
    private AuditChainHead _head = AuditChainHead.Empty;

    /// <summary>Creates the log.</summary>
    /// <param name="keys">The chain keys; a fresh ephemeral ring when <see langword="null"/>.</param>
    public InMemoryAuditLog(AuditKeyRing? keys = null)
    {
        Chain = new AuditChain(keys ?? AuditKeyRing.CreateEphemeral());
    }

    /// <summary>Gets the chain rules and keys this log uses.</summary>
    public AuditChain Chain { get; }

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // Link everything first so a bad entry leaves the log untouched.
            var linked = new AuditRecord[entries.Count];
            var previous = _head;
            for (var i = 0; i < entries.Count; i++)
            {
                var record = Chain.Link(previous.Sequence + 1, entries[i], previous.Mac);
                linked[i] = record;
                previous = new AuditChainHead(record.Sequence, record.Mac);
            }

            _records.AddRange(linked);
            _head = previous;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        AuditRecord[] snapshot;
        lock (_lock)
        {
            // Sequences start at 1 with no gaps, so the record after sequence n sits at index n.
            var start = (int)Math.Min(afterSequence, _records.Count);
            snapshot = [.. _records.Skip(start)];
        }

        foreach (var record in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AuditRecord[] snapshot;
        AuditChainHead head;
        lock (_lock)
        {
            snapshot = [.. _records];
            head = _head;
        }

        return ValueTask.FromResult(Chain.Verify(snapshot, head));
    }

    /// <summary>
    /// For tests only: edits the stored records and head directly, as someone with access to the process memory
    /// could, so tests can prove verification catches it.
    /// </summary>
    /// <param name="tamper">Edits the records in place and returns the head to keep.</param>
    internal void TamperForTests(Func<List<AuditRecord>, AuditChainHead, AuditChainHead> tamper)
    {
        lock (_lock)
        {
            _head = tamper(_records, _head);
        }
    }
}
