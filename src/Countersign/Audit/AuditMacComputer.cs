using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Countersign.Audit;

/// <summary>
/// Computes chain MACs with one reusable HMAC state per key, which is much cheaper than one-shot HMAC per entry.
/// For a single thread that computes many MACs: the audit writer and the verifier.
/// </summary>
internal sealed class AuditMacComputer : IDisposable
{
    private readonly AuditKeyRing _keys;
    private readonly Dictionary<string, IncrementalHash> _byKeyId = new(StringComparer.Ordinal);

    public AuditMacComputer(AuditKeyRing keys)
    {
        _keys = keys;
    }

    /// <summary>Computes the MAC, or returns <see langword="false"/> when the ring lacks the key.</summary>
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

    /// <summary>Computes the MAC with the ring's current key.</summary>
    public string ComputeCurrent(long sequence, ReadOnlySpan<byte> entryBytes, string previousMac)
    {
        TryCompute(sequence, _keys.CurrentKeyId, entryBytes, previousMac, out var mac);
        return mac;
    }

    public void Dispose()
    {
        foreach (var hmac in _byKeyId.Values)
        {
            hmac.Dispose();
        }

        _byKeyId.Clear();
    }
}
