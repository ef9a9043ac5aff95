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

    /// <summary>Shadow mode (or a sampled-out call) ran it although enforcement would have blocked or held it.</summary>
    Shadow = 3,

    /// <summary>It needed review and ran under the fail-open behaviour.</summary>
    FailOpen = 4,
}
