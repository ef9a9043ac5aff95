using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>Built-in conditions for tool contracts.</summary>
public static class ContractChecks
{
    /// <summary>Gets a condition that holds when a human approved the call (it ran on a granted approval, not on an allow rule, a shadow or fail-open path).</summary>
    public static ContractCondition ApprovedByHuman { get; } = new("approved_by_human", c => c.Call.Path == ExecutionPath.Approved);

    /// <summary>Gets a condition that holds when the tool is in the agent's scope.</summary>
    public static ContractCondition InScope { get; } = new("in_scope", c => c.Governance.IsInScope(c.Call.Request.AgentId, c.Call.Request.ToolName));

    /// <summary>Gets a condition that holds when every budget counter that applies to the call is under its cap.</summary>
    public static ContractCondition BudgetAvailable { get; } = new("budget_available", c => c.Governance.HasBudgetAsync(c.Call, c.CancellationToken));
}
