namespace Countersign.Signoff;

/// <summary>
/// Thrown when a sign-off gated record would be in a consequential status without every required sign-off field:
/// at construction, on a transition, on deserialization or when a store loads it. The record, if it existed, is
/// left exactly as it was.
/// </summary>
public sealed class SignoffRequiredException : CountersignException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="recordType">The gated record type.</param>
    /// <param name="status">The gated status that was refused, in its stored form.</param>
    /// <param name="missingFields">The <see cref="HumanSignoff"/> properties that are absent, blank, too short or unverified.</param>
    public SignoffRequiredException(Type recordType, string status, IReadOnlyList<string> missingFields)
        : this(recordType, status, missingFields, BuildMessage(recordType, status, missingFields, minimumVerbatimLength: null))
    {
    }

    private SignoffRequiredException(Type recordType, string status, IReadOnlyList<string> missingFields, string message)
        : base(message, actionId: null)
    {
        RecordType = recordType;
        Status = status;
        MissingFields = missingFields;
    }

    /// <summary>Gets the gated record type.</summary>
    public Type RecordType { get; }

    /// <summary>Gets the gated status that was refused, in its stored form (the string, or the enum member's name).</summary>
    public string Status { get; }

    /// <summary>
    /// Gets the names of the <see cref="HumanSignoff"/> properties that are missing: any of
    /// <see cref="HumanSignoff.VerbatimResponse"/>, <see cref="HumanSignoff.ResponsibleOwner"/>,
    /// <see cref="HumanSignoff.ApprovalId"/>, <see cref="HumanSignoff.SignedAt"/>, and
    /// <see cref="HumanSignoff.Signature"/> when the sign-off was not issued by a trusted issuer or was altered.
    /// </summary>
    public IReadOnlyList<string> MissingFields { get; }

    internal static SignoffRequiredException Create(Type recordType, string status, IReadOnlyList<string> missingFields, int minimumVerbatimLength) =>
        new(recordType, status, missingFields, BuildMessage(recordType, status, missingFields, minimumVerbatimLength));

    private static string BuildMessage(Type recordType, string status, IReadOnlyList<string> missingFields, int? minimumVerbatimLength)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(missingFields);
        var described = missingFields.Select(field => field switch
        {
            nameof(HumanSignoff.VerbatimResponse) when minimumVerbatimLength is { } length =>
                $"{field} (the human's own words, at least {length} characters that are not whitespace)",
            nameof(HumanSignoff.VerbatimResponse) => $"{field} (the human's own words)",
            nameof(HumanSignoff.ResponsibleOwner) or nameof(HumanSignoff.ApprovalId) => $"{field} (not blank)",
            nameof(HumanSignoff.Signature) => $"{field} (issued by a trusted sign-off issuer and unaltered since)",
            _ => field,
        });
        return $"SIGN-OFF REQUIRED: a {recordType.Name} cannot be in status '{status}' without a human sign-off. "
            + $"Missing: {string.Join("; ", described)}.";
    }
}
