using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>The stable codes with which the governance stages deny a call, as recorded in the audit log.</summary>
public static class GovernanceDenialReasons
{
    /// <summary>The agent, or every agent, is halted by an operator.</summary>
    public static DenialReason Halted { get; } = new("agent_halted", "denied: the agent is halted");

    /// <summary>The tool is outside the agent's scope (or the agent has none and unscoped agents are denied).</summary>
    public static DenialReason OutOfScope { get; } = new("out_of_scope", "denied: the tool is outside the agent's scope");

    /// <summary>The same call was repeated too often within the loop window.</summary>
    public static DenialReason LoopDetected { get; } = new("loop_detected", "denied: the same call repeated too often");

    /// <summary>A budget counter has no room for the call.</summary>
    public static DenialReason BudgetExceeded { get; } = new("budget_exceeded", "denied: a budget is exhausted");

    /// <summary>The agent's session is older than the session time limit.</summary>
    public static DenialReason SessionExpired { get; } = new("session_expired", "denied: the session's time limit has passed");

    /// <summary>A pre-condition of the tool's contract failed.</summary>
    public static DenialReason ContractViolated { get; } = new("contract_violated", "denied: a pre-condition of the tool's contract failed");
}
