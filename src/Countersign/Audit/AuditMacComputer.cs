using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Countersign.Audit;

/// <summary>
/// Computes chain MACs with one reusable HMAC state per key, feeding the canonical bytes in pieces instead of copying
/// them into one buffer. For a single thread that computes many MACs: the audit writer and the verifier.
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

        // MAC texts are ASCII when well formed; anything else still hashes deterministically, one byte per char.
        Span<byte> text = stackalloc byte[128];
        AppendAscii(hmac, previousMac, text);
        hmac.AppendData(AuditChain.EntryPrefix);
        hmac.AppendData(entryBytes);
        hmac.AppendData(AuditChain.KeyIdPrefix);
        AppendAscii(hmac, keyId, text);
        hmac.AppendData(AuditChain.SequencePrefix);
        sequence.TryFormat(text, out var digits, default, CultureInfo.InvariantCulture);
        hmac.AppendData(text[..digits]);
        hmac.AppendData("}"u8);
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

    private static void AppendAscii(IncrementalHash hmac, string value, Span<byte> scratch)
    {
        if (value.Length <= scratch.Length)
        {
            var written = Encoding.ASCII.GetBytes(value, scratch);
            hmac.AppendData(scratch[..written]);
        }
        else
        {
            hmac.AppendData(Encoding.ASCII.GetBytes(value));
        }
    }
}
