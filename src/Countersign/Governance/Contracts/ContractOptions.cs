namespace Countersign.Governance;

/// <summary>What <see cref="ContractGateBuilderExtensions.AddContracts"/> configures: tool contracts.</summary>
public sealed class ContractOptions
{
    /// <summary>Gets the contracts; every contract whose tool matches a call applies.</summary>
    public IList<ToolContract> Contracts { get; } = new List<ToolContract>();

    /// <summary>Gets or sets a callback run when a post-condition fails.</summary>
    public Func<OnContractViolatedArguments, ValueTask>? OnContractViolated { get; set; }

    /// <summary>Adds a contract.</summary>
    /// <param name="contract">The contract.</param>
    /// <returns>These options.</returns>
    public ContractOptions Add(ToolContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Contracts.Add(contract);
        return this;
    }

    internal void Validate(List<string> errors)
    {
        if (Contracts.Count == 0)
        {
            errors.Add("Contracts: add at least one contract.");
        }

        foreach (var contract in Contracts)
        {
            if (string.IsNullOrWhiteSpace(contract.Tool))
            {
                errors.Add("Contracts: every contract needs a tool name or glob.");
            }
        }
    }
}
