namespace Countersign;

/// <summary>Why a guarded call was allowed to run; recorded in the audit log.</summary>
public enum ExecutionPath
{
    /// <summary>The call did not run.</summary>
    None = 0,

    /// <summary>The policy allowed it.</summary>
    Allowed = 1,

    /// <summary>Reviewers granted it and this call claimed the grant.</summary>
    Approved = 2,

    /// <summary>Shadow mode (or a call sampled out in sample mode) ran it although enforcement would have blocked or held it.</summary>
    ShadowMode = 3,

    /// <summary>It needed review and ran under the fail-open on-review behaviour.</summary>
    FailOpen = 4,

    /// <summary>It needed review and ran under the shadow on-review behaviour, which records what a reviewer would have been asked.</summary>
    ReviewShadow = 5,
}
