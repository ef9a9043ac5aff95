using Countersign.Approvals;

namespace Countersign.Governance;

/// <summary>
/// A <see cref="ICountersignStore"/> that also keeps governance state (halts, budgets, presence). Governance stages
/// that need state refuse to start on a store without it, rather than keep it in one process only.
/// </summary>
public interface IGovernedStore : ICountersignStore
{
    /// <summary>Gets the store's governance state.</summary>
    IGovernanceStore Governance { get; }
}
