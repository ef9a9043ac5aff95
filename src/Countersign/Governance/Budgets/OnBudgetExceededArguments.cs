namespace Countersign.Governance;

/// <summary>What an <see cref="BudgetOptions.OnBudgetExceeded"/> callback receives.</summary>
public sealed class OnBudgetExceededArguments
{
    internal OnBudgetExceededArguments(string? agentId, string toolName, IReadOnlyList<BudgetUsage> counters, bool denied)
    {
        AgentId = agentId;
        ToolName = toolName;
        Counters = counters;
        Denied = denied;
    }

    /// <summary>Gets the agent.</summary>
    public string? AgentId { get; }

    /// <summary>Gets the tool of the call, or <c>*</c> for recorded model usage.</summary>
    public string ToolName { get; }

    /// <summary>Gets the counters without room (a denial) or past their cap (an overrun).</summary>
    public IReadOnlyList<BudgetUsage> Counters { get; }

    /// <summary>Gets whether a call was denied (<see langword="true"/>) or settled usage overran a cap (<see langword="false"/>).</summary>
    public bool Denied { get; }
}
