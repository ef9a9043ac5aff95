using Countersign.Keys;

namespace Countersign.Audit;

/// <summary>
/// The secret keys of an audit chain: the current key, which MACs new entries, and older keys kept by id so that
/// entries written before a rotation still verify. It is the audit chain's view of a <see cref="KeyRing"/>'s
/// <see cref="KeyRing.AuditChain"/> keys.
/// </summary>
public sealed class AuditKeyRing
{
    /// <summary>The shortest key accepted, in bytes: HMAC-SHA256 gains nothing from more, and loses strength with less.</summary>
    public const int MinimumKeyLength = 32;

    private readonly KeySet _keys;

    /// <summary>Creates a key ring.</summary>
    /// <param name="currentKeyId">The id of the key that MACs new entries; letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 64.</param>
    /// <param name="currentKey">The current key; at least <see cref="MinimumKeyLength"/> bytes.</param>
    /// <param name="previousKeys">Keys retired by rotation, by id, still needed to verify older entries.</param>
    /// <exception cref="ArgumentException">A key id is malformed or repeated, or a key is too short.</exception>
    public AuditKeyRing(string currentKeyId, ReadOnlySpan<byte> currentKey, IEnumerable<KeyValuePair<string, byte[]>>? previousKeys = null)
        : this(new KeySet(KeyPurpose.AuditChain, currentKeyId, currentKey, previousKeys))
    {
    }

    /// <summary>Creates the audit chain's view of a key set.</summary>
    /// <param name="keys">Keys for <see cref="KeyPurpose.AuditChain"/>, such as <see cref="KeyRing.AuditChain"/>.</param>
    /// <exception cref="ArgumentException">The keys are for another purpose.</exception>
    public AuditKeyRing(KeySet keys)
    {
        _keys = KeyRing.Require(keys, KeyPurpose.AuditChain, nameof(keys));
    }

    /// <summary>Gets the id of the key that MACs new entries.</summary>
    public string CurrentKeyId => _keys.CurrentKeyId;

    /// <summary>Gets the ids of every key in the ring, current and retired.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.KeyIds;

    /// <summary>Creates a ring with one random key that lives only as long as this process; a restarted process cannot verify its entries.</summary>
    /// <returns>The key ring.</returns>
    public static AuditKeyRing CreateEphemeral() => new(KeySet.CreateEphemeral(KeyPurpose.AuditChain));

    /// <summary>Returns a ring whose current key is <paramref name="newKey"/>, keeping every key of this ring for verification.</summary>
    /// <param name="newKeyId">The new key's id; it must not be in the ring already.</param>
    /// <param name="newKey">The new key; at least <see cref="MinimumKeyLength"/> bytes.</param>
    /// <returns>The rotated ring.</returns>
    /// <exception cref="ArgumentException">The id is malformed or already used, or the key is too short.</exception>
    public AuditKeyRing Rotate(string newKeyId, ReadOnlySpan<byte> newKey) => new(_keys.Rotate(newKeyId, newKey));

    /// <summary>Gets whether the ring holds a key with this id.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> if the key is in the ring.</returns>
    public bool Contains(string keyId) => _keys.Contains(keyId);

    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetKey(keyId, out key);
}
