namespace Countersign;

/// <summary>How strictly the gate applies its verdicts.</summary>
public enum EnforcementMode
{
    /// <summary>Deny what the policy denies and hold what needs approval. The default.</summary>
    Enforce = 0,

    /// <summary>Always run the call; record what would have been blocked. Safe to deploy on day one.</summary>
    Shadow = 1,

    /// <summary>Enforce for a hash-stable percentage of calls (<see cref="CountersignOptions.SamplePercent"/>); shadow the rest.</summary>
    Sample = 2,
}
