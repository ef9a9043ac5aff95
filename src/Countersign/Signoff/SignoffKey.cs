using System.Security.Cryptography;

namespace Countersign.Signoff;

/// <summary>A secret key that signs sign-offs, named so that keys can be rotated while old sign-offs still verify.</summary>
public sealed class SignoffKey
{
    private readonly byte[] _material;

    /// <summary>Creates a key.</summary>
    /// <param name="id">The key's identifier, recorded in every sign-off it signs; not blank.</param>
    /// <param name="material">At least 16 bytes of secret key material (32 recommended).</param>
    /// <exception cref="ArgumentException">The identifier is blank or the material shorter than 16 bytes.</exception>
    public SignoffKey(string id, ReadOnlySpan<byte> material)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (material.Length < 16)
        {
            throw new ArgumentException("A sign-off key must be at least 16 bytes.", nameof(material));
        }

        Id = id;
        _material = material.ToArray();
    }

    /// <summary>Gets the key's identifier.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _material;

    /// <summary>Creates a key with 32 fresh random bytes.</summary>
    /// <param name="id">The key's identifier.</param>
    /// <returns>The key.</returns>
    public static SignoffKey Generate(string id) => new(id, RandomNumberGenerator.GetBytes(32));
}
