namespace Countersign.Audit;

/// <summary>The step of an intercepted call that an audit entry records.</summary>
public enum AuditEventKind
{
    /// <summary>The call was intercepted and described.</summary>
    Requested = 0,

    /// <summary>The gate reached a verdict (allow, deny, needs approval) and, in shadow or sample mode, whether it would have blocked.</summary>
    Verdict = 1,

    /// <summary>A durable approval request was created and reviewers were notified.</summary>
    ApprovalRequested = 2,

    /// <summary>A reviewer decided, or the request timed out.</summary>
    Decided = 3,

    /// <summary>The call was released to run (on allow, a consumed grant, or a shadow / fail-open path).</summary>
    Executed = 4,

    /// <summary>The call finished: its result or its error.</summary>
    Outcome = 5,
}
