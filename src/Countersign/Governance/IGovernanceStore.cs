namespace Countersign.Governance;

/// <summary>
/// The governance state a gate keeps in its store, so that every process sharing the store sees the same halts,
/// budgets and presence. A store offers it by implementing <see cref="IGovernedStore"/>; the in-memory implementation
/// is <see cref="InMemoryGovernanceStore"/>.
/// </summary>
/// <remarks>
/// Every operation may throw <see cref="CountersignStoreException"/>; the stages then deny the call (fail closed).
/// </remarks>
public interface IGovernanceStore
{
    /// <summary>
    /// Gets the halts in force, keyed by agent id (<see cref="AgentHalt.AllAgents"/> for a halt of every agent). The view
    /// may be up to the store's change-detection interval old for halts made by other processes; a halt made through
    /// this instance is seen at once. Called on every call, so it should answer from memory.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The halts.</returns>
    ValueTask<IReadOnlyDictionary<string, AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a halt; a halt already in force for the agent is kept as it is.</summary>
    /// <param name="halt">The halt.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the halt was recorded, <see langword="false"/> when the agent was already halted.</returns>
    ValueTask<bool> HaltAsync(AgentHalt halt, CancellationToken cancellationToken = default);

    /// <summary>Removes the halt of <paramref name="agentId"/>.</summary>
    /// <param name="agentId">The agent, or <see cref="AgentHalt.AllAgents"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The halt removed, or <see langword="null"/> when none was in force.</returns>
    ValueTask<AgentHalt?> ResumeAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks every charge and reserves all of them in one atomic step, or none: of two calls racing for a counter's
    /// last unit, exactly one gets it, in every process on the store.
    /// </summary>
    /// <param name="reservationId">Names the reservation for <see cref="SettleAsync"/> and <see cref="ReleaseAsync"/>.</param>
    /// <param name="charges">The counters and amounts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the charges were reserved, or which counter had no room.</returns>
    ValueTask<BudgetReservationResult> TryReserveAsync(string reservationId, IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns a reservation into use: each counter's reservation is removed and <paramref name="actualAmounts"/> (or,
    /// for counters it does not name, the reserved amount) is added to what is used.
    /// </summary>
    /// <param name="reservationId">The reservation.</param>
    /// <param name="actualAmounts">What the call really took, per counter key; may be empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counters the settlement took past their cap (overruns), usually none.</returns>
    ValueTask<IReadOnlyList<BudgetUsage>> SettleAsync(string reservationId, IReadOnlyDictionary<string, decimal> actualAmounts, CancellationToken cancellationToken = default);

    /// <summary>Gives a reservation back, for a call that was denied later or failed; unknown ids are ignored.</summary>
    /// <param name="reservationId">The reservation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the reservation is released.</returns>
    ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default);

    /// <summary>Adds usage that happened without a reservation (model tokens and USD), even past the cap.</summary>
    /// <param name="charges">The counters and amounts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counters now past their cap.</returns>
    ValueTask<IReadOnlyList<BudgetUsage>> AddUsageAsync(IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default);

    /// <summary>Reads one budget counter.</summary>
    /// <param name="key">The counter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counter, or <see langword="null"/> when nothing was charged to it.</returns>
    ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Returns when the agent's session started, starting it at <paramref name="now"/> when it is new.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="now">The time a new session starts at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session's start.</returns>
    ValueTask<DateTimeOffset> GetOrStartSessionAsync(string agentId, string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records that the agent called the gate or sent a heartbeat; later times win, earlier ones are ignored.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="callAt">When it called, or <see langword="null"/>.</param>
    /// <param name="heartbeatAt">When it sent a heartbeat, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the activity is recorded.</returns>
    ValueTask RecordActivityAsync(string agentId, DateTimeOffset? callAt, DateTimeOffset? heartbeatAt, CancellationToken cancellationToken = default);

    /// <summary>Reads the activity of every agent seen.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The agents, ordered by id.</returns>
    ValueTask<IReadOnlyList<AgentActivity>> GetActivityAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the agent's presence state when the recorded one is still <paramref name="expected"/>, so that of several
    /// processes noticing one transition exactly one records (and audits) it.
    /// </summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="expected">The state the caller read, or <see langword="null"/> for none.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller recorded the transition.</returns>
    ValueTask<bool> TrySetPresenceStateAsync(string agentId, string? expected, string state, CancellationToken cancellationToken = default);
}
