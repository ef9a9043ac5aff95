using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Countersign.Audit;

/// <summary>
/// Computes chain MACs with one reusable HMAC state per key, which is much cheaper than one-shot HMAC per entry. For a
/// store's audit writer or verifier: one instance per thread that computes many MACs (it is not thread-safe).
/// </summary>
public sealed class AuditMacComputer : IDisposable
{
    private readonly AuditKeyRing _keys;
    private readonly Dictionary<string, IncrementalHash> _byKeyId = new(StringComparer.Ordinal);

    /// <summary>Creates a computer for the keys of <paramref name="keys"/>.</summary>
    /// <param name="keys">The audit chain's keys.</param>
    public AuditMacComputer(AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>Computes the MAC of an entry linked to <paramref name="previousMac"/>, or returns <see langword="false"/> when the ring lacks the key.</summary>
    /// <param name="sequence">The entry's place in the chain.</param>
    /// <param name="keyId">The key the entry is MACed with.</param>
    /// <param name="entryBytes">The entry's canonical bytes (<see cref="AuditChain.GetEntryBytes"/>).</param>
    /// <param name="previousMac">The MAC of the entry before it, or <see cref="AuditChain.GenesisMac"/>.</param>
    /// <param name="mac">The MAC as 64 lowercase hex characters.</param>
    /// <returns><see langword="false"/> when no key has the id <paramref name="keyId"/>.</returns>
    public bool TryCompute(long sequence, string keyId, ReadOnlySpan<byte> entryBytes, string previousMac, out string mac)
    {
        if (!_byKeyId.TryGetValue(keyId, out var hmac))
        {
            if (!_keys.TryGetKey(keyId, out var key))
            {
                mac = string.Empty;
                return false;
            }

            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            _byKeyId.Add(keyId, hmac);
        }

        // One contiguous buffer and one native update: each AppendData is a P/Invoke, and the writer does this per row.
        var length = previousMac.Length + AuditChain.CanonicalLength(entryBytes.Length, keyId);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.ASCII.GetBytes(previousMac, rented);
            written += AuditChain.WriteCanonical(rented.AsSpan(written), sequence, keyId, entryBytes);
            hmac.AppendData(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        Span<byte> digest = stackalloc byte[32];
        hmac.GetHashAndReset(digest);
        mac = Convert.ToHexStringLower(digest);
        return true;
    }

    /// <summary>Computes the MAC of an entry with the ring's current key.</summary>
    /// <param name="sequence">The entry's place in the chain.</param>
    /// <param name="entryBytes">The entry's canonical bytes.</param>
    /// <param name="previousMac">The MAC of the entry before it.</param>
    /// <returns>The MAC as 64 lowercase hex characters.</returns>
    public string ComputeCurrent(long sequence, ReadOnlySpan<byte> entryBytes, string previousMac)
    {
        TryCompute(sequence, _keys.CurrentKeyId, entryBytes, previousMac, out var mac);
        return mac;
    }

    /// <summary>Releases the HMAC states.</summary>
    public void Dispose()
    {
        foreach (var hmac in _byKeyId.Values)
        {
            hmac.Dispose();
        }

        _byKeyId.Clear();
    }
}
