namespace Countersign.Governance;

/// <summary>
/// Governance state in this process's memory: right for tests and single-process use, shared by nothing else. A gate
/// without a store uses one.
/// </summary>
public sealed class InMemoryGovernanceStore : IGovernanceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Key, decimal Amount)>> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Agent, string Session), DateTimeOffset> _sessions = [];
    private readonly Dictionary<string, AgentActivity> _activity = new(StringComparer.Ordinal);
    private volatile Dictionary<string, AgentHalt> _halts = new Dictionary<string, AgentHalt>(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyDictionary<string, AgentHalt>>(_halts);

    /// <inheritdoc />
    public ValueTask<bool> HaltAsync(AgentHalt halt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(halt);
        lock (_lock)
        {
            if (_halts.ContainsKey(halt.AgentId))
            {
                return ValueTask.FromResult(false);
            }

            _halts = new Dictionary<string, AgentHalt>(_halts, StringComparer.Ordinal) { [halt.AgentId] = halt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<AgentHalt?> ResumeAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        lock (_lock)
        {
            if (!_halts.TryGetValue(agentId, out var halt))
            {
                return ValueTask.FromResult<AgentHalt?>(null);
            }

            var next = new Dictionary<string, AgentHalt>(_halts, StringComparer.Ordinal);
            next.Remove(agentId);
            _halts = next;
            return ValueTask.FromResult<AgentHalt?>(halt);
        }
    }

    /// <inheritdoc />
    public ValueTask<BudgetReservationResult> TryReserveAsync(string reservationId, IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(charges);
        lock (_lock)
        {
            foreach (var charge in charges)
            {
                var counter = _counters.GetValueOrDefault(charge.Key) ?? new Counter(0, 0);
                if (!BudgetRules.HasRoom(counter.Used, counter.Reserved, charge.Amount, charge.Limit))
                {
                    return ValueTask.FromResult(new BudgetReservationResult(false, new BudgetUsage(charge.Key, counter.Used, counter.Reserved, charge.Limit)));
                }
            }

            var held = new List<(string Key, decimal Amount)>(charges.Count);
            foreach (var charge in charges)
            {
                var counter = _counters.GetValueOrDefault(charge.Key) ?? new Counter(0, 0);
                _counters[charge.Key] = counter with { Reserved = counter.Reserved + charge.Amount, Limit = charge.Limit };
                held.Add((charge.Key, charge.Amount));
            }

            _reservations[reservationId] = held;
            return ValueTask.FromResult(BudgetReservationResult.Reserved);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetUsage>> SettleAsync(string reservationId, IReadOnlyDictionary<string, decimal> actualAmounts, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(actualAmounts);
        lock (_lock)
        {
            if (!_reservations.Remove(reservationId, out var held))
            {
                return ValueTask.FromResult<IReadOnlyList<BudgetUsage>>([]);
            }

            var overruns = new List<BudgetUsage>();
            foreach (var (key, amount) in held)
            {
                var counter = _counters[key];
                var actual = actualAmounts.TryGetValue(key, out var given) ? given : amount;
                counter = counter with { Used = counter.Used + actual, Reserved = counter.Reserved - amount };
                _counters[key] = counter;
                if (counter.Used > counter.Limit)
                {
                    overruns.Add(new BudgetUsage(key, counter.Used, counter.Reserved, counter.Limit));
                }
            }

            return ValueTask.FromResult<IReadOnlyList<BudgetUsage>>(overruns);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        lock (_lock)
        {
            if (_reservations.Remove(reservationId, out var held))
            {
                foreach (var (key, amount) in held)
                {
                    var counter = _counters[key];
                    _counters[key] = counter with { Reserved = counter.Reserved - amount };
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetUsage>> AddUsageAsync(IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(charges);
        lock (_lock)
        {
            var overruns = new List<BudgetUsage>();
            foreach (var charge in charges)
            {
                var counter = _counters.GetValueOrDefault(charge.Key) ?? new Counter(0, 0);
                counter = counter with { Used = counter.Used + charge.Amount, Limit = charge.Limit };
                _counters[charge.Key] = counter;
                if (counter.Used > counter.Limit)
                {
                    overruns.Add(new BudgetUsage(charge.Key, counter.Used, counter.Reserved, counter.Limit));
                }
            }

            return ValueTask.FromResult<IReadOnlyList<BudgetUsage>>(overruns);
        }
    }

    /// <inheritdoc />
    public ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        lock (_lock)
        {
            return ValueTask.FromResult(_counters.TryGetValue(key, out var counter) ? new BudgetUsage(key, counter.Used, counter.Reserved, counter.Limit) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset> GetOrStartSessionAsync(string agentId, string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_lock)
        {
            if (!_sessions.TryGetValue((agentId, sessionId), out var started))
            {
                started = now;
                _sessions[(agentId, sessionId)] = now;
            }

            return ValueTask.FromResult(started);
        }
    }

    /// <inheritdoc />
    public ValueTask RecordActivityAsync(string agentId, DateTimeOffset? callAt, DateTimeOffset? heartbeatAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        lock (_lock)
        {
            var current = _activity.GetValueOrDefault(agentId) ?? new AgentActivity(agentId, null, null, null);
            _activity[agentId] = current with
            {
                LastCallAt = Later(current.LastCallAt, callAt),
                LastHeartbeatAt = Later(current.LastHeartbeatAt, heartbeatAt),
            };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentActivity>> GetActivityAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<AgentActivity>>([.. _activity.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySetPresenceStateAsync(string agentId, string? expected, string state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        lock (_lock)
        {
            var current = _activity.GetValueOrDefault(agentId) ?? new AgentActivity(agentId, null, null, null);
            if (!string.Equals(current.RecordedState, expected, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _activity[agentId] = current with { RecordedState = state };
            return ValueTask.FromResult(true);
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? current, DateTimeOffset? candidate) =>
        candidate is { } c && (current is null || c > current) ? c : current;

    private sealed record Counter(decimal Used, decimal Reserved)
    {
        public decimal Limit { get; init; }
    }
}
