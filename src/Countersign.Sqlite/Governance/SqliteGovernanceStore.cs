using Countersign.Governance;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="IGovernanceStore"/> of a <see cref="SqliteStore"/>: halts, budgets, sessions and presence in the file,
/// shared by every process on it. Halts are read from memory and re-read from the file once per change-poll interval
/// (<see cref="SqliteStoreOptions.ChangePollInterval"/>), so a halt made by another process takes effect here within
/// that interval. Budget reservations are one <c>BEGIN IMMEDIATE</c> transaction each: of two processes racing for a
/// counter's last unit, exactly one gets it. Amounts are kept as integers of millionths, so sums are exact.
/// </summary>
public sealed class SqliteGovernanceStore : IGovernanceStore
{
    private const decimal Scale = 1_000_000m;
    private readonly SqliteConnectionPool _pool;
    private readonly TimeProvider _timeProvider;
    private readonly long _refreshTicks;
    private volatile Dictionary<string, AgentHalt> _halts = new(StringComparer.Ordinal);
    private long _haltsReadAt;
    private int _refreshing;

    internal SqliteGovernanceStore(SqliteConnectionPool pool, TimeProvider timeProvider, TimeSpan changePollInterval)
    {
        _pool = pool;
        _timeProvider = timeProvider;
        _refreshTicks = (long)(changePollInterval.TotalSeconds * timeProvider.TimestampFrequency);
        _haltsReadAt = long.MinValue;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, AgentHalt>> GetHaltsAsync(CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetTimestamp();
        var readAt = Volatile.Read(ref _haltsReadAt);
        if ((readAt == long.MinValue || now - readAt >= _refreshTicks) && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            try
            {
                ReloadHalts(now);
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        }
        else if (readAt == long.MinValue)
        {
            // Another caller is reading the file for the first time; wait for it rather than answer "no halts".
            lock (_pool)
            {
                if (Volatile.Read(ref _haltsReadAt) == long.MinValue)
                {
                    ReloadHalts(now);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, AgentHalt>>(_halts);
    }

    /// <inheritdoc />
    public ValueTask<bool> HaltAsync(AgentHalt halt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(halt);
        var inserted = _pool.Run("record a halt", connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO governance_halts (agent_id, halted_by, reason, halted_at) VALUES ($agent, $by, $reason, $at)
                ON CONFLICT (agent_id) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$agent", halt.AgentId);
            insert.Parameters.AddWithValue("$by", halt.HaltedBy);
            insert.Parameters.AddWithValue("$reason", halt.Reason);
            insert.Parameters.AddWithValue("$at", SqliteText.FormatTime(halt.HaltedAt));
            return insert.ExecuteNonQuery() == 1;
        });
        ReloadHalts(_timeProvider.GetTimestamp());
        return ValueTask.FromResult(inserted);
    }

    /// <inheritdoc />
    public ValueTask<AgentHalt?> ResumeAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        var removed = _pool.Run("end a halt", connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM governance_halts WHERE agent_id = $agent RETURNING agent_id, halted_by, reason, halted_at";
            delete.Parameters.AddWithValue("$agent", agentId);
            using var reader = delete.ExecuteReader();
            return reader.Read() ? ReadHalt(reader) : null;
        });
        ReloadHalts(_timeProvider.GetTimestamp());
        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask<BudgetReservationResult> TryReserveAsync(string reservationId, IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(charges);
        return ValueTask.FromResult(_pool.Run("reserve a budget", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var charge in charges)
            {
                var (used, reserved) = Upsert(connection, charge.Key, charge.Limit);
                if (!BudgetRules.HasRoom(used, reserved, charge.Amount, charge.Limit))
                {
                    transaction.Rollback();
                    return new BudgetReservationResult(false, new BudgetUsage(charge.Key, used, reserved, charge.Limit));
                }
            }

            foreach (var charge in charges)
            {
                using var update = connection.CreateCommand();
                update.CommandText = """
                    UPDATE budget_counters SET reserved = reserved + $amount WHERE key = $key;
                    INSERT INTO budget_reservations (reservation_id, key, amount) VALUES ($id, $key, $amount)
                    ON CONFLICT (reservation_id, key) DO UPDATE SET amount = amount + excluded.amount;
                    """;
                update.Parameters.AddWithValue("$amount", ToUnits(charge.Amount));
                update.Parameters.AddWithValue("$key", charge.Key);
                update.Parameters.AddWithValue("$id", reservationId);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
            return BudgetReservationResult.Reserved;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetUsage>> SettleAsync(string reservationId, IReadOnlyDictionary<string, decimal> actualAmounts, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(actualAmounts);
        return ValueTask.FromResult(_pool.Run("settle a budget", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var held = TakeReservation(connection, reservationId);
            var overruns = new List<BudgetUsage>();
            foreach (var (key, amount) in held)
            {
                var actual = actualAmounts.TryGetValue(key, out var given) ? ToUnits(given) : amount;
                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE budget_counters SET used = used + $actual, reserved = reserved - $amount WHERE key = $key RETURNING used, reserved, cap";
                update.Parameters.AddWithValue("$actual", actual);
                update.Parameters.AddWithValue("$amount", amount);
                update.Parameters.AddWithValue("$key", key);
                using var reader = update.ExecuteReader();
                if (reader.Read() && reader.GetInt64(0) > reader.GetInt64(2))
                {
                    overruns.Add(new BudgetUsage(key, FromUnits(reader.GetInt64(0)), FromUnits(reader.GetInt64(1)), FromUnits(reader.GetInt64(2))));
                }
            }

            transaction.Commit();
            return (IReadOnlyList<BudgetUsage>)overruns;
        }));
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        _pool.Run("release a budget reservation", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var (key, amount) in TakeReservation(connection, reservationId))
            {
                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE budget_counters SET reserved = reserved - $amount WHERE key = $key";
                update.Parameters.AddWithValue("$amount", amount);
                update.Parameters.AddWithValue("$key", key);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetUsage>> AddUsageAsync(IReadOnlyList<BudgetCharge> charges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(charges);
        return ValueTask.FromResult(_pool.Run("record budget usage", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var overruns = new List<BudgetUsage>();
            foreach (var charge in charges)
            {
                Upsert(connection, charge.Key, charge.Limit);
                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE budget_counters SET used = used + $amount WHERE key = $key RETURNING used, reserved, cap";
                update.Parameters.AddWithValue("$amount", ToUnits(charge.Amount));
                update.Parameters.AddWithValue("$key", charge.Key);
                using var reader = update.ExecuteReader();
                if (reader.Read() && reader.GetInt64(0) > reader.GetInt64(2))
                {
                    overruns.Add(new BudgetUsage(charge.Key, FromUnits(reader.GetInt64(0)), FromUnits(reader.GetInt64(1)), FromUnits(reader.GetInt64(2))));
                }
            }

            transaction.Commit();
            return (IReadOnlyList<BudgetUsage>)overruns;
        }));
    }

    /// <inheritdoc />
    public ValueTask<BudgetUsage?> GetBudgetUsageAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return ValueTask.FromResult(_pool.Run("read a budget", connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT used, reserved, cap FROM budget_counters WHERE key = $key";
            select.Parameters.AddWithValue("$key", key);
            using var reader = select.ExecuteReader();
            return reader.Read() ? new BudgetUsage(key, FromUnits(reader.GetInt64(0)), FromUnits(reader.GetInt64(1)), FromUnits(reader.GetInt64(2))) : null;
        }));
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset> GetOrStartSessionAsync(string agentId, string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(sessionId);
        return ValueTask.FromResult(_pool.Run("start a session", connection =>
        {
            using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO governance_sessions (agent_id, session_id, started_at) VALUES ($agent, $session, $now)
                ON CONFLICT (agent_id, session_id) DO UPDATE SET started_at = started_at
                RETURNING started_at
                """;
            upsert.Parameters.AddWithValue("$agent", agentId);
            upsert.Parameters.AddWithValue("$session", sessionId);
            upsert.Parameters.AddWithValue("$now", SqliteText.FormatTime(now));
            return SqliteText.ParseTime((string)upsert.ExecuteScalar()!);
        }));
    }

    /// <inheritdoc />
    public ValueTask RecordActivityAsync(string agentId, DateTimeOffset? callAt, DateTimeOffset? heartbeatAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        _pool.Run("record an agent's activity", connection =>
        {
            // Fixed-width UTC text orders as the times do, so MAX keeps the later one.
            using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO agent_presence (agent_id, last_call_at, last_heartbeat_at) VALUES ($agent, $call, $beat)
                ON CONFLICT (agent_id) DO UPDATE SET
                    last_call_at = CASE WHEN excluded.last_call_at IS NULL THEN last_call_at WHEN last_call_at IS NULL THEN excluded.last_call_at ELSE MAX(last_call_at, excluded.last_call_at) END,
                    last_heartbeat_at = CASE WHEN excluded.last_heartbeat_at IS NULL THEN last_heartbeat_at WHEN last_heartbeat_at IS NULL THEN excluded.last_heartbeat_at ELSE MAX(last_heartbeat_at, excluded.last_heartbeat_at) END
                """;
            upsert.Parameters.AddWithValue("$agent", agentId);
            upsert.Parameters.AddWithValue("$call", callAt is { } call ? SqliteText.FormatTime(call) : DBNull.Value);
            upsert.Parameters.AddWithValue("$beat", heartbeatAt is { } beat ? SqliteText.FormatTime(beat) : DBNull.Value);
            return upsert.ExecuteNonQuery();
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentActivity>> GetActivityAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_pool.Run("read agents' activity", connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT agent_id, last_call_at, last_heartbeat_at, state FROM agent_presence ORDER BY agent_id";
            using var reader = select.ExecuteReader();
            var agents = new List<AgentActivity>();
            while (reader.Read())
            {
                agents.Add(new AgentActivity(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : SqliteText.ParseTime(reader.GetString(1)),
                    reader.IsDBNull(2) ? null : SqliteText.ParseTime(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }

            return (IReadOnlyList<AgentActivity>)agents;
        }));

    /// <inheritdoc />
    public ValueTask<bool> TrySetPresenceStateAsync(string agentId, string? expected, string state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        return ValueTask.FromResult(_pool.Run("record an agent's presence", connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO agent_presence (agent_id) VALUES ($agent) ON CONFLICT (agent_id) DO NOTHING";
            insert.Parameters.AddWithValue("$agent", agentId);
            insert.ExecuteNonQuery();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE agent_presence SET state = $state WHERE agent_id = $agent AND state IS $expected";
            update.Parameters.AddWithValue("$state", state);
            update.Parameters.AddWithValue("$agent", agentId);
            update.Parameters.AddWithValue("$expected", (object?)expected ?? DBNull.Value);
            return update.ExecuteNonQuery() == 1;
        }));
    }

    private void ReloadHalts(long now)
    {
        _halts = _pool.Run("read halts", connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT agent_id, halted_by, reason, halted_at FROM governance_halts";
            using var reader = select.ExecuteReader();
            var halts = new Dictionary<string, AgentHalt>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var halt = ReadHalt(reader);
                halts[halt.AgentId] = halt;
            }

            return halts;
        });
        Volatile.Write(ref _haltsReadAt, now);
    }

    private static AgentHalt ReadHalt(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteText.ParseTime(reader.GetString(3)));

    private static (decimal Used, decimal Reserved) Upsert(SqliteConnection connection, string key, decimal limit)
    {
        using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO budget_counters (key, used, reserved, cap) VALUES ($key, 0, 0, $cap)
            ON CONFLICT (key) DO UPDATE SET cap = excluded.cap
            RETURNING used, reserved
            """;
        upsert.Parameters.AddWithValue("$key", key);
        upsert.Parameters.AddWithValue("$cap", ToUnits(limit));
        using var reader = upsert.ExecuteReader();
        reader.Read();
        return (FromUnits(reader.GetInt64(0)), FromUnits(reader.GetInt64(1)));
    }

    private static List<(string Key, long Amount)> TakeReservation(SqliteConnection connection, string reservationId)
    {
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM budget_reservations WHERE reservation_id = $id RETURNING key, amount";
        delete.Parameters.AddWithValue("$id", reservationId);
        using var reader = delete.ExecuteReader();
        var held = new List<(string, long)>();
        while (reader.Read())
        {
            held.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return held;
    }

    private static long ToUnits(decimal amount) => decimal.ToInt64(decimal.Round(amount * Scale, MidpointRounding.AwayFromZero));

    private static decimal FromUnits(long units) => units / Scale;
}
