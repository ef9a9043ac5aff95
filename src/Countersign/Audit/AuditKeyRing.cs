using System.Security.Cryptography;

namespace Countersign.Audit;

/// <summary>
/// The secret keys of an audit chain: the current key, which MACs new entries, and older keys kept by id so that
/// entries written before a rotation still verify.
/// </summary>
public sealed class AuditKeyRing
{
    /// <summary>The shortest key accepted, in bytes: HMAC-SHA256 gains nothing from more, and loses strength with less.</summary>
    public const int MinimumKeyLength = 32;

    private readonly Dictionary<string, byte[]> _keys;

    /// <summary>Creates a key ring.</summary>
    /// <param name="currentKeyId">The id of the key that MACs new entries; letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 64.</param>
    /// <param name="currentKey">The current key; at least <see cref="MinimumKeyLength"/> bytes.</param>
    /// <param name="previousKeys">Keys retired by rotation, by id, still needed to verify older entries.</param>
    /// <exception cref="ArgumentException">A key id is malformed or repeated, or a key is too short.</exception>
    public AuditKeyRing(string currentKeyId, ReadOnlySpan<byte> currentKey, IEnumerable<KeyValuePair<string, byte[]>>? previousKeys = null)
    {
        ValidateKeyId(currentKeyId, nameof(currentKeyId));
        ValidateKey(currentKey, nameof(currentKey));
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [currentKeyId] = currentKey.ToArray() };
        if (previousKeys is not null)
        {
            foreach (var (id, key) in previousKeys)
            {
                ValidateKeyId(id, nameof(previousKeys));
                ArgumentNullException.ThrowIfNull(key, nameof(previousKeys));
                ValidateKey(key, nameof(previousKeys));
                if (!_keys.TryAdd(id, [.. key]))
                {
                    throw new ArgumentException($"The audit key id '{id}' appears more than once.", nameof(previousKeys));
                }
            }
        }

        CurrentKeyId = currentKeyId;
    }

    /// <summary>Gets the id of the key that MACs new entries.</summary>
    public string CurrentKeyId { get; }

    /// <summary>Gets the ids of every key in the ring, current and retired.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Creates a ring with one random key that lives only as long as this process; a restarted process cannot verify its entries.</summary>
    /// <returns>The key ring.</returns>
    public static AuditKeyRing CreateEphemeral() =>
        new("ephemeral-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), RandomNumberGenerator.GetBytes(MinimumKeyLength));

    /// <summary>Returns a ring whose current key is <paramref name="newKey"/>, keeping every key of this ring for verification.</summary>
    /// <param name="newKeyId">The new key's id; it must not be in the ring already.</param>
    /// <param name="newKey">The new key; at least <see cref="MinimumKeyLength"/> bytes.</param>
    /// <returns>The rotated ring.</returns>
    /// <exception cref="ArgumentException">The id is malformed or already used, or the key is too short.</exception>
    public AuditKeyRing Rotate(string newKeyId, ReadOnlySpan<byte> newKey)
    {
        ValidateKeyId(newKeyId, nameof(newKeyId));
        if (_keys.ContainsKey(newKeyId))
        {
            throw new ArgumentException($"The audit key id '{newKeyId}' is already in the ring.", nameof(newKeyId));
        }

        return new AuditKeyRing(newKeyId, newKey, _keys);
    }

    /// <summary>Gets whether the ring holds a key with this id.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> if the key is in the ring.</returns>
    public bool Contains(string keyId) => keyId is not null && _keys.ContainsKey(keyId);

    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    internal byte[] CurrentKey => _keys[CurrentKeyId];

    private static void ValidateKeyId(string keyId, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId, parameterName);
        if (keyId.Length > 64 || !keyId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"The audit key id '{keyId}' must be 1 to 64 letters, digits, '-', '_' or '.'.", parameterName);
        }
    }

    private static void ValidateKey(ReadOnlySpan<byte> key, string parameterName)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"An audit key must be at least {MinimumKeyLength} bytes (was {key.Length}).", parameterName);
        }
    }
}
