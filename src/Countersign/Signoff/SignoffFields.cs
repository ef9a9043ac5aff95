namespace Countersign.Signoff;

/// <summary>The fields of a <see cref="HumanSignoff"/> that a gated status can require.</summary>
[Flags]
public enum SignoffFields
{
    /// <summary>No field beyond what <see cref="SignoffGateAttribute.RequireIssuedSignoff"/> implies.</summary>
    None = 0,

    /// <summary>
    /// The human's verbatim words, with at least <see cref="SignoffGateAttribute.MinimumVerbatimLength"/> characters
    /// that are not whitespace (see <see cref="SignoffText"/>).
    /// </summary>
    VerbatimResponse = 1,

    /// <summary>The person who answers for the decision; not blank.</summary>
    ResponsibleOwner = 2,

    /// <summary>The approval the sign-off came from; not blank.</summary>
    ApprovalId = 4,

    /// <summary>When the human signed off.</summary>
    SignedAt = 8,

    /// <summary>The default: a verbatim response and a responsible owner.</summary>
    Default = VerbatimResponse | ResponsibleOwner,
}
