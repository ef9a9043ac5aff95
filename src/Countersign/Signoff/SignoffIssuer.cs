using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Countersign.Approvals;

namespace Countersign.Signoff;

/// <summary>
/// Turns a granted approval into a <see cref="HumanSignoff"/> signed with a secret key (HMAC-SHA256), and verifies
/// such sign-offs, so a record type can accept only sign-offs that came from a real reviewer's decision.
/// </summary>
/// <remarks>
/// The signature covers the key identifier, the approval identifier, the reviewer, the reviewer's verbatim comment
/// and the decision time: editing any of them, or inventing a sign-off without the key, fails verification. To rotate,
/// sign with a new key and pass the old ones as <c>retiredKeys</c>, which still verify.
/// </remarks>
public sealed class SignoffIssuer : ISignoffVerifier
{
    private const string Purpose = "countersign.signoff.v1";
    private const int SignatureBytes = 32;

    private readonly SignoffKey _signingKey;
    private readonly Dictionary<string, SignoffKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates an issuer.</summary>
    /// <param name="signingKey">The key that signs new sign-offs.</param>
    /// <param name="retiredKeys">Earlier keys whose sign-offs must still verify.</param>
    /// <exception cref="ArgumentException">Two keys share an identifier.</exception>
    public SignoffIssuer(SignoffKey signingKey, IEnumerable<SignoffKey>? retiredKeys = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _signingKey = signingKey;
        _keys.Add(signingKey.Id, signingKey);
        foreach (var key in retiredKeys ?? [])
        {
            ArgumentNullException.ThrowIfNull(key, nameof(retiredKeys));
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"Two sign-off keys have the identifier '{key.Id}'.", nameof(retiredKeys));
            }
        }
    }

    /// <summary>Gets the identifier of the key that signs new sign-offs.</summary>
    public string KeyId => _signingKey.Id;

    /// <summary>
    /// Issues the sign-off of a granted approval from the approving decision that completed it (the last one): the
    /// reviewer is the responsible owner and their comment the verbatim response.
    /// </summary>
    /// <param name="granted">An approval whose status is <see cref="ApprovalStatus.Granted"/> or <see cref="ApprovalStatus.Consumed"/>.</param>
    /// <returns>The signed sign-off.</returns>
    /// <exception cref="ArgumentException">The approval is not granted, or holds no approving decision.</exception>
    public HumanSignoff Issue(ApprovalRequest granted)
    {
        ArgumentNullException.ThrowIfNull(granted);
        EnsureGranted(granted);
        for (var i = granted.Decisions.Count - 1; i >= 0; i--)
        {
            if (granted.Decisions[i].Approved)
            {
                return Sign(granted.Id, granted.Decisions[i]);
            }
        }

        throw new ArgumentException($"Approval '{granted.Id}' holds no approving decision.", nameof(granted));
    }

    /// <summary>Issues the sign-off of one approving reviewer of a granted approval.</summary>
    /// <param name="granted">An approval whose status is <see cref="ApprovalStatus.Granted"/> or <see cref="ApprovalStatus.Consumed"/>.</param>
    /// <param name="reviewer">The reviewer whose decision becomes the sign-off.</param>
    /// <returns>The signed sign-off.</returns>
    /// <exception cref="ArgumentException">The approval is not granted, or <paramref name="reviewer"/> did not approve it.</exception>
    public HumanSignoff Issue(ApprovalRequest granted, string reviewer)
    {
        ArgumentNullException.ThrowIfNull(granted);
        ArgumentNullException.ThrowIfNull(reviewer);
        EnsureGranted(granted);
        foreach (var decision in granted.Decisions)
        {
            if (decision.Approved && string.Equals(decision.Reviewer, reviewer, StringComparison.Ordinal))
            {
                return Sign(granted.Id, decision);
            }
        }

        throw new ArgumentException($"'{reviewer}' did not approve approval '{granted.Id}'.", nameof(reviewer));
    }

    /// <inheritdoc />
    public bool Verify(HumanSignoff signoff)
    {
        ArgumentNullException.ThrowIfNull(signoff);
        if (signoff.KeyId is null || signoff.Signature is null || signoff.ApprovalId is null
            || signoff.ResponsibleOwner is null || signoff.SignedAt is not { } signedAt
            || !_keys.TryGetValue(signoff.KeyId, out var key))
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[SignatureBytes];
        if (signoff.Signature.Length != SignatureBytes * 2
            || Convert.FromHexString(signoff.Signature, claimed, out _, out var written) != OperationStatus.Done
            || written != SignatureBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureBytes];
        ComputeMac(key, signoff.ApprovalId, signoff.ResponsibleOwner, signoff.VerbatimResponse, signedAt, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    private static void EnsureGranted(ApprovalRequest request)
    {
        if (request.Status is not (ApprovalStatus.Granted or ApprovalStatus.Consumed))
        {
            throw new ArgumentException(
                $"Approval '{request.Id}' is {request.Status}; only a granted or consumed approval issues a sign-off.",
                nameof(request));
        }
    }

    private static void ComputeMac(SignoffKey key, string approvalId, string owner, string? verbatim, DateTimeOffset signedAt, Span<byte> destination)
    {
        // A JSON array gives every field an unambiguous boundary, so no two different sign-offs share the signed bytes.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(Purpose);
            writer.WriteStringValue(key.Id);
            writer.WriteStringValue(approvalId);
            writer.WriteStringValue(owner);
            writer.WriteStringValue(verbatim);
            writer.WriteNumberValue(signedAt.UtcTicks);
            writer.WriteEndArray();
        }

        HMACSHA256.HashData(key.Material, buffer.WrittenSpan, destination);
    }

    private HumanSignoff Sign(string approvalId, Review decision)
    {
        Span<byte> mac = stackalloc byte[SignatureBytes];
        ComputeMac(_signingKey, approvalId, decision.Reviewer, decision.Comment, decision.DecidedAt, mac);
        return new HumanSignoff(
            verbatimResponse: decision.Comment,
            responsibleOwner: decision.Reviewer,
            approvalId: approvalId,
            signedAt: decision.DecidedAt,
            keyId: _signingKey.Id,
            signature: Convert.ToHexStringLower(mac));
    }
}
