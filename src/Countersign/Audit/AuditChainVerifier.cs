using System.Security.Cryptography;
using System.Text;

namespace Countersign.Audit;

/// <summary>
/// Checks audit records one at a time, in the order a store returns them, and remembers the first problem.
/// Create one with <see cref="AuditChain.CreateVerifier"/>; call <see cref="Check"/> per record, then <see cref="Complete"/>,
/// and dispose it.
/// </summary>
public sealed class AuditChainVerifier : IDisposable
{
    private readonly AuditChain _chain;
    private readonly AuditMacComputer _macs;
    private long _expectedSequence = 1;
    private string _expectedPreviousMac = AuditChain.GenesisMac;
    private long? _brokenSequence;
    private string? _problem;

    internal AuditChainVerifier(AuditChain chain)
    {
        _chain = chain;
        _macs = new AuditMacComputer(chain.Keys);
    }

    /// <summary>Gets how many records were offered, including the first broken one.</summary>
    public long EntriesChecked { get; private set; }

    /// <summary>Gets whether a problem was found; later records are not checked.</summary>
    public bool IsBroken => _brokenSequence is not null;

    /// <summary>Checks the next record.</summary>
    /// <param name="record">The record that follows the previous one in the store's order.</param>
    /// <returns><see langword="true"/> while the chain is intact; <see langword="false"/> once a problem was found.</returns>
    public bool Check(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CheckNext(record.Sequence, record.KeyId, record.PreviousMac, record.Mac, record, default);
    }

    /// <summary>
    /// Checks the next record as a store keeps it: the MAC is computed over the entry's stored canonical bytes, so
    /// what is checked is exactly what is on disk.
    /// </summary>
    /// <param name="sequence">The record's sequence.</param>
    /// <param name="keyId">The key id stored with it.</param>
    /// <param name="previousMac">The previous MAC stored with it.</param>
    /// <param name="mac">Its stored MAC.</param>
    /// <param name="entryBytes">The entry's stored canonical bytes.</param>
    /// <returns><see langword="true"/> while the chain is intact.</returns>
    public bool CheckStored(long sequence, string keyId, string previousMac, string mac, ReadOnlySpan<byte> entryBytes) =>
        CheckNext(sequence, keyId, previousMac, mac, null, entryBytes);

    private bool CheckNext(long sequence, string keyId, string previousMac, string mac, AuditRecord? record, ReadOnlySpan<byte> entryBytes)
    {
        if (IsBroken)
        {
            return false;
        }

        EntriesChecked++;
        if (sequence > _expectedSequence)
        {
            return Fail(_expectedSequence, $"Entry {_expectedSequence} is missing: the next entry found is {sequence}.");
        }

        if (sequence < _expectedSequence)
        {
            return Fail(sequence, $"Entry {sequence} appears after entry {_expectedSequence - 1}: entries are duplicated or out of order.");
        }

        if (!_chain.Keys.Contains(keyId))
        {
            return Fail(sequence, $"Entry {sequence} was MACed with the key id '{keyId}', which is not in the key ring.");
        }

        if (!string.Equals(previousMac, _expectedPreviousMac, StringComparison.Ordinal))
        {
            return Fail(sequence, $"Entry {sequence} does not link to the entry before it (its previous MAC differs): an entry before it was removed, inserted or reordered.");
        }

        ReadOnlySpan<byte> bytes;
        if (record is null)
        {
            bytes = entryBytes;
        }
        else if (record.Entry is null || !Enum.IsDefined(record.Entry.Kind))
        {
            return Fail(sequence, $"Entry {sequence} is not a valid entry (missing, or of an unknown kind).");
        }
        else
        {
            bytes = AuditEntryJson.GetEntryBytes(record.Entry);
        }

        if (!_macs.TryCompute(sequence, keyId, bytes, previousMac, out var expected) || !AuditChain.IsMacText(mac)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(mac)))
        {
            return Fail(sequence, $"Entry {sequence} does not match its MAC: it was edited, or written without the chain key.");
        }

        _expectedSequence = sequence + 1;
        _expectedPreviousMac = mac;
        return true;
    }

    /// <summary>Finishes the walk, comparing the last entry with the stored chain head when one is given.</summary>
    /// <param name="head">The chain head the store keeps beside the entries, or <see langword="null"/> when it keeps none.</param>
    /// <returns>The result.</returns>
    public AuditVerificationResult Complete(AuditChainHead? head = null)
    {
        if (!IsBroken && head is not null)
        {
            var last = _expectedSequence - 1;
            if (last < head.Sequence)
            {
                Fail(last + 1, $"The chain ends at entry {last} but its head records entry {head.Sequence}: entries were removed from the end.");
            }
            else if (last > head.Sequence)
            {
                Fail(head.Sequence + 1, $"Entry {head.Sequence + 1} comes after the chain head (entry {head.Sequence}): it was added outside the store.");
            }
            else if (!string.Equals(head.Mac, _expectedPreviousMac, StringComparison.Ordinal))
            {
                Fail(last, $"Entry {last} differs from the chain head's MAC: the last entry was replaced.");
            }
        }

        return _brokenSequence is { } broken
            ? AuditVerificationResult.Broken(EntriesChecked, broken, _problem!)
            : AuditVerificationResult.Clean(EntriesChecked);
    }

    /// <summary>Releases the hash states the verifier keeps per key.</summary>
    public void Dispose() => _macs.Dispose();

    private bool Fail(long sequence, string problem)
    {
        _brokenSequence = sequence;
        _problem = problem;
        return false;
    }
}
