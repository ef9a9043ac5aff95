using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Countersign.Keys;

namespace Countersign.Serialization;

/// <summary>
/// Computes the keyed hash that identifies an action's exact payload: HMAC-SHA256 over the tool name and the
/// canonical JSON of the arguments. The key means a redacted secret cannot be recovered by hashing guesses offline.
/// </summary>
#pragma warning disable CA1001 // A hasher lives as long as its gate or store; finalizers release the per-thread HMAC states.
public sealed class PayloadHasher
#pragma warning restore CA1001
{
    private readonly byte[] _key;

    // One-shot HMAC sets up a fresh native context per call; a reusable per-thread state is several times cheaper.
    private readonly ThreadLocal<IncrementalHash> _states;

    /// <summary>Creates a hasher with the given secret key.</summary>
    /// <param name="key">At least 16 bytes of secret key material.</param>
    /// <exception cref="ArgumentException">The key is shorter than 16 bytes.</exception>
    public PayloadHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySet.GetMinimumKeyLength(KeyPurpose.PayloadHash))
        {
            throw new ArgumentException($"The payload hash key must be at least {KeySet.GetMinimumKeyLength(KeyPurpose.PayloadHash)} bytes.", nameof(key));
        }

        _key = key.ToArray();
        _states = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    /// <summary>Creates a hasher with the current key of a key ring's payload hash keys (<see cref="KeyRing.PayloadHash"/>).</summary>
    /// <param name="keys">Keys for <see cref="KeyPurpose.PayloadHash"/>; only the current one is used.</param>
    /// <exception cref="ArgumentException">The keys are for another purpose.</exception>
    public PayloadHasher(KeySet keys)
        : this(KeyRing.Require(keys, KeyPurpose.PayloadHash, nameof(keys)).CurrentKey)
    {
    }

    /// <summary>Creates a hasher with a fresh random key; hashes then only compare within this process.</summary>
    /// <returns>The hasher.</returns>
    public static PayloadHasher CreateEphemeral() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Computes the payload hash of <paramref name="request"/> as lowercase hex.</summary>
    /// <param name="request">The action.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public string Compute(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Compute(request.ToolName, request.Arguments);
    }

    /// <summary>Computes the payload hash of a tool name and its arguments as lowercase hex.</summary>
    /// <param name="toolName">The tool name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public string Compute(string toolName, JsonElement arguments)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        var buffer = new ArrayBufferWriter<byte>(256);
        CanonicalJson.Write(buffer, arguments);
        return ComputeCanonical(toolName, buffer.WrittenSpan);
    }

    /// <summary>Computes the payload hash from arguments already in canonical form (see <see cref="CanonicalJson"/>).</summary>
    /// <param name="toolName">The tool name.</param>
    /// <param name="canonicalArguments">The canonical UTF-8 JSON of the arguments.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public string ComputeCanonical(string toolName, ReadOnlySpan<byte> canonicalArguments)
    {
        ArgumentNullException.ThrowIfNull(toolName);

        // Tool names may not contain control characters, so the unit separator keeps name and arguments apart.
        var hmac = _states.Value!;
        var maxNameBytes = System.Text.Encoding.UTF8.GetMaxByteCount(toolName.Length);
        Span<byte> name = maxNameBytes <= 512 ? stackalloc byte[maxNameBytes] : new byte[maxNameBytes];
        hmac.AppendData(name[..System.Text.Encoding.UTF8.GetBytes(toolName, name)]);
        hmac.AppendData([0x1F]);
        hmac.AppendData(canonicalArguments);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac);
    }
}
