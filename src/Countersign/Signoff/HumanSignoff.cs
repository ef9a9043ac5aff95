using System.Text.Json.Serialization;

namespace Countersign.Signoff;

/// <summary>
/// A human's sign-off on a consequential status: their verbatim words, who answers for the decision and, when
/// Countersign issued it from a granted approval, the approval, the time and a keyed signature proving its origin.
/// </summary>
/// <remarks>
/// Every property is read-only and set by the constructor, so a sign-off already accepted by a gated record cannot
/// be edited afterwards, not even by a serializer populating an existing object.
/// </remarks>
public sealed record HumanSignoff
{
    /// <summary>Creates a sign-off.</summary>
    /// <param name="verbatimResponse">The human's words, exactly as given.</param>
    /// <param name="responsibleOwner">The person who answers for the decision.</param>
    /// <param name="approvalId">The approval the sign-off came from, if any.</param>
    /// <param name="signedAt">When the human signed off, if known.</param>
    /// <param name="keyId">The identifier of the key that signed it, for a sign-off issued by a <see cref="SignoffIssuer"/>.</param>
    /// <param name="signature">The keyed signature (lowercase hex HMAC-SHA256), for a sign-off issued by a <see cref="SignoffIssuer"/>.</param>
    [JsonConstructor]
    public HumanSignoff(
        string? verbatimResponse,
        string? responsibleOwner,
        string? approvalId = null,
        DateTimeOffset? signedAt = null,
        string? keyId = null,
        string? signature = null)
    {
        VerbatimResponse = verbatimResponse;
        ResponsibleOwner = responsibleOwner;
        ApprovalId = approvalId;
        SignedAt = signedAt;
        KeyId = keyId;
        Signature = signature;
    }

    /// <summary>Gets the human's words, exactly as given.</summary>
    public string? VerbatimResponse { get; }

    /// <summary>Gets the person who answers for the decision.</summary>
    public string? ResponsibleOwner { get; }

    /// <summary>Gets the approval the sign-off came from.</summary>
    public string? ApprovalId { get; }

    /// <summary>Gets when the human signed off.</summary>
    public DateTimeOffset? SignedAt { get; }

    /// <summary>Gets the identifier of the key that signed this sign-off.</summary>
    public string? KeyId { get; }

    /// <summary>Gets the keyed signature over the other fields, as lowercase hex.</summary>
    public string? Signature { get; }
}
