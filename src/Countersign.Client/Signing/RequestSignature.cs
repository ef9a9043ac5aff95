using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Countersign.Client.Signing;

/// <summary>
/// The request signing scheme of Countersign's REST API, shared by the server that checks it and the client that
/// signs. Every request carries four headers: the app id as key id, a Unix timestamp in seconds, a single-use nonce and
/// an HMAC-SHA256 signature over the string to sign (see <see cref="StringToSign"/>). The HMAC key is the SHA-256 of
/// the app's secret (<see cref="DeriveKey"/>), which is all the server keeps of the secret.
/// </summary>
public static class RequestSignature
{
    /// <summary>The header naming the app (the key id).</summary>
    public const string KeyIdHeader = "Countersign-Key-Id";

    /// <summary>The header holding the Unix time in seconds at which the request was signed.</summary>
    public const string TimestampHeader = "Countersign-Timestamp";

    /// <summary>The header holding the request's nonce: 16 to 128 characters of letters, digits, '-' and '_'.</summary>
    public const string NonceHeader = "Countersign-Nonce";

    /// <summary>The header holding the signature: <c>v1=</c> and 64 lowercase hex digits.</summary>
    public const string SignatureHeader = "Countersign-Signature";

    /// <summary>The version prefix of the signature value.</summary>
    public const string VersionPrefix = "v1=";

    /// <summary>The smallest nonce length accepted.</summary>
    public const int MinNonceLength = 16;

    /// <summary>The largest nonce length accepted.</summary>
    public const int MaxNonceLength = 128;

    /// <summary>
    /// Builds the string to sign: <c>countersign-v1</c>, the timestamp, the nonce, the upper-case method, the path with
    /// its query string exactly as sent, and the lowercase hex SHA-256 of the body (of nothing for a body-less request),
    /// joined by line feeds.
    /// </summary>
    /// <param name="timestamp">The Unix time in seconds, as sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="nonce">The nonce, as sent in <see cref="NonceHeader"/>.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathAndQuery">The path and query, for example <c>/v1/actions</c>.</param>
    /// <param name="body">The request body's bytes.</param>
    /// <returns>The string to sign.</returns>
    public static string StringToSign(string timestamp, string nonce, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return string.Join('\n', "countersign-v1", timestamp, nonce, method.ToUpperInvariant(), pathAndQuery, Convert.ToHexStringLower(SHA256.HashData(body)));
    }

    /// <summary>Derives the HMAC key from an app's secret: the SHA-256 of its UTF-8 bytes.</summary>
    /// <param name="secret">The secret the server showed once when the app was registered.</param>
    /// <returns>The 32-byte key.</returns>
    public static byte[] DeriveKey(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Computes the signature value (<c>v1=</c> and hex) of a string to sign.</summary>
    /// <param name="key">The key from <see cref="DeriveKey"/>.</param>
    /// <param name="stringToSign">The string from <see cref="StringToSign"/>.</param>
    /// <returns>The value of <see cref="SignatureHeader"/>.</returns>
    public static string Sign(ReadOnlySpan<byte> key, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        return VersionPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Checks a signature value in constant time.</summary>
    /// <param name="key">The key from <see cref="DeriveKey"/>.</param>
    /// <param name="stringToSign">The string from <see cref="StringToSign"/>.</param>
    /// <param name="signature">The value of <see cref="SignatureHeader"/> as received.</param>
    /// <returns><see langword="true"/> if the signature matches.</returns>
    public static bool Verify(ReadOnlySpan<byte> key, string stringToSign, string signature)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        ArgumentNullException.ThrowIfNull(signature);
        if (!signature.StartsWith(VersionPrefix, StringComparison.Ordinal) || signature.Length != VersionPrefix.Length + 64)
        {
            return false;
        }

        Span<byte> received = stackalloc byte[32];
        if (Convert.FromHexString(signature.AsSpan(VersionPrefix.Length), received, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), expected);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>Creates a fresh random nonce (22 URL-safe characters).</summary>
    /// <returns>The nonce.</returns>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Formats a time as the value of <see cref="TimestampHeader"/>.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The Unix time in seconds.</returns>
    public static string FormatTimestamp(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
