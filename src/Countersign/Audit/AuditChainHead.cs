namespace Countersign.Audit;

/// <summary>
/// The last link of an audit chain, stored apart from the entries and updated in the same transaction as each append.
/// Verification compares it with the last entry it reads, which is how a removed tail is detected.
/// </summary>
/// <param name="Sequence">The last entry's sequence; 0 for an empty chain.</param>
/// <param name="Mac">The last entry's MAC; <see cref="AuditChain.GenesisMac"/> for an empty chain.</param>
public sealed record AuditChainHead(long Sequence, string Mac)
{
    /// <summary>Gets the head of an empty chain.</summary>
    public static AuditChainHead Empty { get; } = new(0, AuditChain.GenesisMac);
}
