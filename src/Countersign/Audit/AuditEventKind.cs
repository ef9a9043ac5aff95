namespace Countersign.Audit;

/// <summary>The step of an intercepted call that an audit entry records.</summary>
public enum AuditEventKind
{
    /// <summary>The call needs a human: a durable approval was created (its arguments, verdict and reasons are in the entry).</summary>
    ApprovalRequested = 0,

    /// <summary>One reviewer's vote on an approval, or a vote the store refused (self-approval, a second vote, a wrong role).</summary>
    Reviewed = 1,

    /// <summary>An approval reached its timeout without a decision; timeout means deny.</summary>
    ApprovalExpired = 2,

    /// <summary>The call was released to run, committed before it runs: its arguments, verdict, path and who decided.</summary>
    Authorized = 3,

    /// <summary>How the call ended: its result or error, or why it did not run; it carries the decision fields too.</summary>
    Outcome = 4,

    /// <summary>An operator (or a governance stage) halted an agent, or every agent: who, why.</summary>
    AgentHalted = 5,

    /// <summary>An operator resumed a halted agent: who, why, and the halt it ended.</summary>
    AgentResumed = 6,

    /// <summary>An agent's presence changed (live, idle, unresponsive, halted).</summary>
    PresenceChanged = 7,

    /// <summary>A tool's post-condition failed on a call's result.</summary>
    ContractViolated = 8,

    /// <summary>A budget counter went past its cap when usage was settled or recorded.</summary>
    BudgetOverrun = 9,
}
