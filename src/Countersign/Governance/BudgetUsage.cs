namespace Countersign.Governance;

/// <summary>How much of one budget counter is spent and held.</summary>
/// <param name="Key">The counter.</param>
/// <param name="Used">Settled: what finished calls (and recorded model usage) took.</param>
/// <param name="Reserved">Held by calls that were authorised and have not finished.</param>
/// <param name="Limit">The cap last written with the counter.</param>
public sealed record BudgetUsage(string Key, decimal Used, decimal Reserved, decimal Limit)
{
    /// <summary>Gets whether settled use went past the cap (recorded usage or a settled cost can overrun it).</summary>
    public bool IsOverrun => Used > Limit;
}
