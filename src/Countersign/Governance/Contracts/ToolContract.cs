namespace Countersign.Governance;

/// <summary>The pre- and post-conditions of a tool (an exact name or a glob).</summary>
public sealed class ToolContract
{
    /// <summary>Gets the tool name or glob the contract covers.</summary>
    public required string Tool { get; init; }

    /// <summary>Gets the conditions checked before the call runs; one that fails denies it.</summary>
    public IList<ContractCondition> Preconditions { get; init; } = new List<ContractCondition>();

    /// <summary>Gets the conditions checked on the result after the call ran; one that fails is recorded as a contract violation.</summary>
    public IList<ContractCondition> Postconditions { get; init; } = new List<ContractCondition>();

    /// <summary>Gets whether a failed post-condition also halts the agent. Default off.</summary>
    public bool HaltOnViolation { get; init; }
}
