using System.Globalization;
using System.Text;

namespace Countersign.Audit;

/// <summary>
/// The rules that make the audit log tamper-evident. Each entry's MAC is
/// <c>hex(HMAC-SHA256(key[keyId], utf8(previousMac) || canonicalBytes))</c>, where the canonical bytes are the JSON
/// object <c>{"entry":{...},"key_id":"...","sequence":n}</c>: sorted keys, no whitespace, the entry's absent fields left
/// out. The first entry links to <see cref="GenesisMac"/>.
/// Editing, removing, inserting or reordering entries breaks a MAC or a link, which <see cref="Verify"/> reports.
/// </summary>
#pragma warning disable CA1001 // A chain lives as long as its log; finalizers release the per-thread HMAC states.
public sealed class AuditChain
#pragma warning restore CA1001
{
    /// <summary>The previous MAC of the first entry: 64 zeros.</summary>
    public const string GenesisMac = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int MacHexLength = 64;

    internal static ReadOnlySpan<byte> EntryPrefix => "{\"entry\":"u8;

    internal static ReadOnlySpan<byte> KeyIdPrefix => ",\"key_id\":\""u8;

    internal static ReadOnlySpan<byte> SequencePrefix => "\",\"sequence\":"u8;

    // One-shot HMAC sets up a native context per entry; a reusable state per thread is several times cheaper.
    private readonly ThreadLocal<AuditMacComputer> _macs;

    /// <summary>Creates the chain rules over a key ring.</summary>
    /// <param name="keys">The keys: the current one MACs new entries, all of them verify.</param>
    public AuditChain(AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = keys;
        _macs = new ThreadLocal<AuditMacComputer>(() => new AuditMacComputer(keys));
    }

    /// <summary>Gets the key ring.</summary>
    public AuditKeyRing Keys { get; }

    /// <summary>Links an entry to the chain with the current key.</summary>
    /// <param name="sequence">The entry's position: one more than the entry before, starting at 1.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="previousMac">The MAC of the entry before, or <see cref="GenesisMac"/> for the first.</param>
    /// <returns>The record to store.</returns>
    /// <exception cref="ArgumentException">The sequence is below 1, the previous MAC is not 64 hex digits, or the entry lacks a required field.</exception>
    public AuditRecord Link(long sequence, AuditEntry entry, string previousMac)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ValidateEntry(entry);
        if (!IsMacText(previousMac))
        {
            throw new ArgumentException("The previous MAC must be 64 lowercase hex digits.", nameof(previousMac));
        }

        var mac = _macs.Value!.ComputeCurrent(sequence, AuditEntryJson.GetEntryBytes(entry), previousMac);
        return new AuditRecord(sequence, entry, Keys.CurrentKeyId, previousMac, mac);
    }

    /// <summary>Returns the canonical bytes the MAC of an entry covers (after the previous MAC).</summary>
    /// <param name="sequence">The entry's sequence.</param>
    /// <param name="keyId">The id of the key that MACs it.</param>
    /// <param name="entry">The entry.</param>
    /// <returns>UTF-8 JSON <c>{"entry":{...},"key_id":"...","sequence":n}</c> with sorted keys and absent fields left out.</returns>
    public static byte[] GetCanonicalBytes(long sequence, string keyId, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ValidateEntry(entry);
        var entryBytes = AuditEntryJson.GetEntryBytes(entry);
        var buffer = new byte[CanonicalLength(entryBytes.Length, keyId)];
        var written = WriteCanonical(buffer, sequence, keyId, entryBytes);
        return buffer[..written];
    }

    /// <summary>Reads an entry back from the canonical bytes a store kept (<see cref="GetEntryBytes"/>); unknown members are ignored.</summary>
    /// <param name="entryBytes">The bytes.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="System.Text.Json.JsonException">The bytes are not a JSON object.</exception>
    /// <exception cref="FormatException">A member holds a value Countersign never writes, or a required one is missing.</exception>
    public static AuditEntry ReadEntry(ReadOnlySpan<byte> entryBytes) => AuditEntryJson.ReadEntry(entryBytes);

    /// <summary>Returns the canonical bytes of the entry alone: the <c>entry</c> member of <see cref="GetCanonicalBytes"/>.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>UTF-8 JSON with sorted keys and absent fields left out.</returns>
    public static byte[] GetEntryBytes(AuditEntry entry)
    {
        ValidateEntry(entry);
        return AuditEntryJson.GetEntryBytes(entry);
    }

    /// <summary>Starts an incremental verification, for records read one at a time from a store.</summary>
    /// <returns>A verifier expecting the chain's first entry.</returns>
    public AuditChainVerifier CreateVerifier() => new(this);

    /// <summary>Walks <paramref name="records"/> in the order given and reports the first broken entry, if any.</summary>
    /// <param name="records">The records, in the order the store keeps them.</param>
    /// <param name="head">The chain head stored with the records; without it a removed tail cannot be detected.</param>
    /// <returns>The result.</returns>
    public AuditVerificationResult Verify(IEnumerable<AuditRecord> records, AuditChainHead? head = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var verifier = CreateVerifier();
        foreach (var record in records)
        {
            if (!verifier.Check(record))
            {
                break;
            }
        }

        return verifier.Complete(head);
    }

    /// <summary>Walks <paramref name="records"/> as they stream in and reports the first broken entry, if any.</summary>
    /// <param name="records">The records, in the order the store keeps them.</param>
    /// <param name="head">The chain head stored with the records; without it a removed tail cannot be detected.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The result.</returns>
    public async ValueTask<AuditVerificationResult> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditChainHead? head = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var verifier = CreateVerifier();
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!verifier.Check(record))
            {
                break;
            }
        }

        return verifier.Complete(head);
    }

    internal static bool IsMacText(string? mac)
    {
        if (mac is null || mac.Length != MacHexLength)
        {
            return false;
        }

        foreach (var c in mac)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static int CanonicalLength(int entryLength, string keyId) =>
        EntryPrefix.Length + entryLength + KeyIdPrefix.Length + keyId.Length + SequencePrefix.Length + 20 + 1;

    internal static int WriteCanonical(Span<byte> destination, long sequence, string keyId, ReadOnlySpan<byte> entryBytes)
    {
        // The wrapper is written by hand because its shape is fixed: three members, already in key order, and a key id
        // that never needs escaping. The entry inside was written by the canonical JSON writer.
        var position = 0;
        EntryPrefix.CopyTo(destination);
        position += EntryPrefix.Length;
        entryBytes.CopyTo(destination[position..]);
        position += entryBytes.Length;
        KeyIdPrefix.CopyTo(destination[position..]);
        position += KeyIdPrefix.Length;
        position += Encoding.ASCII.GetBytes(keyId, destination[position..]);
        SequencePrefix.CopyTo(destination[position..]);
        position += SequencePrefix.Length;
        sequence.TryFormat(destination[position..], out var digits, default, CultureInfo.InvariantCulture);
        position += digits;
        destination[position++] = (byte)'}';
        return position;
    }

    internal static void ValidateEntry(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrEmpty(entry.ActionId) || string.IsNullOrEmpty(entry.ToolName))
        {
            throw new ArgumentException("An audit entry needs an action id and a tool name.", nameof(entry));
        }

        if (entry.Reasons is null)
        {
            throw new ArgumentException("An audit entry's reasons may be empty but not null.", nameof(entry));
        }

        if (!Enum.IsDefined(entry.Kind))
        {
            throw new ArgumentException($"Unknown audit event kind {(int)entry.Kind}.", nameof(entry));
        }
    }
}
