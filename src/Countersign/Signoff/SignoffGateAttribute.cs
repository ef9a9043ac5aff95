namespace Countersign.Signoff;

/// <summary>
/// Declares which statuses of a <see cref="SignoffGatedRecord{TStatus}"/> are consequential and what a sign-off
/// must hold before a record may be in one of them.
/// </summary>
/// <remarks>
/// A type that derives from another gated record type is held to both declarations: the gated statuses and
/// required fields add up, the larger minimum length and any <see cref="RequireIssuedSignoff"/> win. A subtype can
/// tighten its base's gate, never loosen it.
/// </remarks>
/// <example>
/// <code>
/// [SignoffGate("signed_off", "applied", "rolled_back")]
/// public sealed record Deployment(string DeploymentId, string Status, HumanSignoff? Signoff = null)
///     : SignoffGatedRecord&lt;string&gt;(Status, Signoff);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SignoffGateAttribute : Attribute
{
    /// <summary>The default value of <see cref="MinimumVerbatimLength"/>.</summary>
    public const int DefaultMinimumVerbatimLength = 50;

    /// <summary>Declares the gated statuses.</summary>
    /// <param name="gatedStatuses">
    /// The consequential statuses: strings when the record's status is a string, members of the status enum when it
    /// is an enum.
    /// </param>
    public SignoffGateAttribute(params object[] gatedStatuses)
    {
        GatedStatuses = Array.AsReadOnly(gatedStatuses ?? []);
    }

    /// <summary>Gets the consequential statuses.</summary>
    public IReadOnlyList<object> GatedStatuses { get; }

    /// <summary>Gets or sets the fields a sign-off must hold in a gated status; <see cref="SignoffFields.Default"/> unless set.</summary>
    public SignoffFields RequiredFields { get; set; } = SignoffFields.Default;

    /// <summary>
    /// Gets or sets how many characters that are not whitespace the verbatim response needs (at least 1);
    /// <see cref="DefaultMinimumVerbatimLength"/> unless set.
    /// </summary>
    public int MinimumVerbatimLength { get; set; } = DefaultMinimumVerbatimLength;

    /// <summary>
    /// Gets or sets whether a sign-off must have been issued by a trusted <see cref="ISignoffVerifier"/> (registered with
    /// <see cref="SignoffTrust"/>), so that a hand-built sign-off is rejected however complete it looks.
    /// </summary>
    public bool RequireIssuedSignoff { get; set; }
}
