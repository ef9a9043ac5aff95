namespace Countersign.Governance;

/// <summary>A named predicate of a tool contract; it holds when it returns <see langword="true"/>. A predicate that throws fails.</summary>
public sealed class ContractCondition
{
    /// <summary>Creates an asynchronous condition.</summary>
    /// <param name="name">The name recorded when it fails.</param>
    /// <param name="check">The predicate.</param>
    public ContractCondition(string name, Func<ContractCheckContext, ValueTask<bool>> check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Check = check ?? throw new ArgumentNullException(nameof(check));
    }

    /// <summary>Creates a condition.</summary>
    /// <param name="name">The name recorded when it fails.</param>
    /// <param name="check">The predicate.</param>
    public ContractCondition(string name, Func<ContractCheckContext, bool> check)
        : this(name, Wrap(check))
    {
    }

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the predicate.</summary>
    public Func<ContractCheckContext, ValueTask<bool>> Check { get; }

    private static Func<ContractCheckContext, ValueTask<bool>> Wrap(Func<ContractCheckContext, bool> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return context => ValueTask.FromResult(check(context));
    }
}
