using System.Security.Cryptography;

namespace Countersign.Keys;

/// <summary>
/// The keys of one <see cref="KeyPurpose"/>: the current key, which new hashes and MACs use, and older keys kept by
/// id so that what they produced before a rotation still verifies.
/// </summary>
public sealed class KeySet
{
    private const int MaximumKeyIdLength = 64;

    private readonly Dictionary<string, byte[]> _keys;

    /// <summary>Creates a key set.</summary>
    /// <param name="purpose">What the keys are for; it sets the minimum key length (<see cref="GetMinimumKeyLength"/>).</param>
    /// <param name="currentKeyId">The id of the current key; letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 64.</param>
    /// <param name="currentKey">The current key.</param>
    /// <param name="previousKeys">Keys retired by rotation, by id.</param>
    /// <exception cref="ArgumentException">The purpose is unknown, a key id is malformed or repeated, or a key is too short.</exception>
    public KeySet(KeyPurpose purpose, string currentKeyId, ReadOnlySpan<byte> currentKey, IEnumerable<KeyValuePair<string, byte[]>>? previousKeys = null)
    {
        if (!Enum.IsDefined(purpose))
        {
            throw new ArgumentException($"Unknown key purpose {(int)purpose}.", nameof(purpose));
        }

        Purpose = purpose;
        ThrowIfInvalid(currentKeyId, currentKey, nameof(currentKeyId), nameof(currentKey));
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [currentKeyId] = currentKey.ToArray() };
        if (previousKeys is not null)
        {
            foreach (var (id, key) in previousKeys)
            {
                ArgumentNullException.ThrowIfNull(key, nameof(previousKeys));
                ThrowIfInvalid(id, key, nameof(previousKeys), nameof(previousKeys));
                if (!_keys.TryAdd(id, [.. key]))
                {
                    throw new ArgumentException($"The {Describe(purpose)} key id '{id}' appears more than once.", nameof(previousKeys));
                }
            }
        }

        CurrentKeyId = currentKeyId;
    }

    /// <summary>Gets what the keys are for.</summary>
    public KeyPurpose Purpose { get; }

    /// <summary>Gets the id of the current key.</summary>
    public string CurrentKeyId { get; }

    /// <summary>Gets the ids of every key in the set, current and retired.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    internal byte[] CurrentKey => _keys[CurrentKeyId];

    /// <summary>Creates a key set from all of its keys by id, as a secret store or a configuration file lists them.</summary>
    /// <param name="purpose">What the keys are for.</param>
    /// <param name="currentKeyId">The id of the current key; it must be among <paramref name="keys"/>.</param>
    /// <param name="keys">Every key by id, the current one included.</param>
    /// <returns>The key set.</returns>
    /// <exception cref="ArgumentException">The current key is not among the keys, or the constructor refuses them.</exception>
    public static KeySet FromKeys(KeyPurpose purpose, string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(currentKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.TryGetValue(currentKeyId, out var currentKey))
        {
            throw new ArgumentException($"The current {Describe(purpose)} key '{currentKeyId}' is not among the keys.", nameof(currentKeyId));
        }

        return new KeySet(purpose, currentKeyId, currentKey, keys.Where(key => !string.Equals(key.Key, currentKeyId, StringComparison.Ordinal)));
    }

    /// <summary>Creates a set with one random key that lives only as long as this process.</summary>
    /// <param name="purpose">What the key is for.</param>
    /// <returns>The key set.</returns>
    public static KeySet CreateEphemeral(KeyPurpose purpose) =>
        // 32 bytes is the full strength of HMAC-SHA256 and meets every purpose's minimum.
        new(purpose, "ephemeral-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), RandomNumberGenerator.GetBytes(32));

    /// <summary>Gets the shortest key accepted for a purpose, in bytes.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>16 for <see cref="KeyPurpose.PayloadHash"/>, 32 for <see cref="KeyPurpose.AuditChain"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The purpose is unknown.</exception>
    public static int GetMinimumKeyLength(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.PayloadHash => 16,
        KeyPurpose.AuditChain => Audit.AuditKeyRing.MinimumKeyLength,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown key purpose."),
    };

    /// <summary>Returns a set whose current key is <paramref name="newKey"/>, keeping every key of this set.</summary>
    /// <param name="newKeyId">The new key's id; it must not be in the set already.</param>
    /// <param name="newKey">The new key.</param>
    /// <returns>The rotated set.</returns>
    /// <exception cref="ArgumentException">The id is malformed or already used, or the key is too short.</exception>
    public KeySet Rotate(string newKeyId, ReadOnlySpan<byte> newKey)
    {
        ThrowIfInvalid(newKeyId, newKey, nameof(newKeyId), nameof(newKey));
        if (_keys.ContainsKey(newKeyId))
        {
            throw new ArgumentException($"The {Describe(Purpose)} key id '{newKeyId}' is already in the set.", nameof(newKeyId));
        }

        return new KeySet(Purpose, newKeyId, newKey, _keys);
    }

    /// <summary>Gets whether the set holds a key with this id.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> if the key is in the set.</returns>
    public bool Contains(string keyId) => keyId is not null && _keys.ContainsKey(keyId);

    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Copies out a key's bytes, for a provider or store that persists the keys it generated.</summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="key">A copy of the key, or an empty array.</param>
    /// <returns><see langword="false"/> when the set holds no key with that id.</returns>
    public bool TryExportKey(string keyId, out byte[] key)
    {
        if (_keys.TryGetValue(keyId, out var stored))
        {
            key = [.. stored];
            return true;
        }

        key = [];
        return false;
    }

    /// <summary>The rule a key id follows, worded to end a sentence such as "a key id must be ...".</summary>
    internal const string KeyIdRule = "1 to 64 letters, digits, '-', '_' or '.'";

    /// <summary>Whether a key id follows <see cref="KeyIdRule"/>; the audit chain writes ids unescaped into the bytes it MACs.</summary>
    internal static bool IsValidKeyId(string? keyId) =>
        !string.IsNullOrEmpty(keyId) && keyId.Length <= MaximumKeyIdLength && keyId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    internal static string Describe(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.PayloadHash => "payload hash",
        KeyPurpose.AuditChain => "audit chain",
        _ => purpose.ToString(),
    };

    private void ThrowIfInvalid(string keyId, ReadOnlySpan<byte> key, string keyIdParameter, string keyParameter)
    {
        ArgumentNullException.ThrowIfNull(keyId, keyIdParameter);
        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException($"The {Describe(Purpose)} key id '{keyId}' must be {KeyIdRule}.", keyIdParameter);
        }

        var minimum = GetMinimumKeyLength(Purpose);
        if (key.Length < minimum)
        {
            throw new ArgumentException($"Keys for the {Describe(Purpose)} must be at least {minimum} bytes (was {key.Length}).", keyParameter);
        }
    }
}
