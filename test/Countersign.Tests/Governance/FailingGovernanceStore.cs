using Countersign.Governance;

namespace Countersign.Tests.Governance;

/// <summary>A governance store that is down: every operation throws a store failure.</summary>
internal sealed class FailingGovernanceStore : IGovernanceStore
{
    private static CountersignStoreException Down() => new("governance store down", isTransient: true);

    public ValueTask<IReadOnlyDictionary<string, AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<bool> HaltAsync(AgentHalt halt, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<AgentHalt?> ResumeAsync(string agentId, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<BudgetReservationResult> TryReserveAsync(string reservationId, IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<IReadOnlyList<BudgetUsage>> SettleAsync(string reservationId, IReadOnlyDictionary<string, decimal> actualAmounts, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<IReadOnlyList<BudgetUsage>> AddUsageAsync(IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<DateTimeOffset> GetOrStartSessionAsync(string agentId, string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask RecordActivityAsync(string agentId, DateTimeOffset? callAt, DateTimeOffset? heartbeatAt, CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<IReadOnlyList<AgentActivity>> GetActivityAsync(CancellationToken cancellationToken = default) => throw Down();

    public ValueTask<bool> TrySetPresenceStateAsync(string agentId, string? expected, string state, CancellationToken cancellationToken = default) => throw Down();
}
