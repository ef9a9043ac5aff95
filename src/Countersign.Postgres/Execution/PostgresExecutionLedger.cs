using Countersign.Execution;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>
/// The <see cref="IExecutionLedger"/> of a <see cref="PostgresStore"/>: the idempotency key is the table's primary key
/// and a claim is <c>INSERT ... ON CONFLICT DO NOTHING</c>, so of all the hosts sharing the database exactly one claims it.
/// </summary>
public sealed class PostgresExecutionLedger : IExecutionLedger
{
    private const string Columns = "idempotency_key, action_id, tool_name, payload_hash, started_at, status, result_json, error, completed_at";
    private readonly PostgresDatabase _database;

    internal PostgresExecutionLedger(PostgresDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public async ValueTask<ExecutionRecord?> TryBeginAsync(ExecutionRecord record, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckNew(record);
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.RunAsync("claim an idempotency key", async connection =>
        {
            using (var insert = new NpgsqlCommand(
                """
                INSERT INTO executions (idempotency_key, action_id, tool_name, payload_hash, started_at, status)
                VALUES (@key, @action, @tool, @hash, @started, 0)
                ON CONFLICT (idempotency_key) DO NOTHING
                """,
                connection))
            {
                insert.Parameters.AddWithValue("key", record.IdempotencyKey);
                insert.Parameters.AddWithValue("action", record.ActionId);
                insert.Parameters.AddWithValue("tool", record.ToolName);
                insert.Parameters.AddWithValue("hash", record.PayloadHash);
                insert.Parameters.AddWithValue("started", PostgresTime.Stored(record.StartedAt));
                if (await insert.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1)
                {
                    return null;
                }
            }

            // A statement of its own: its snapshot is taken after the insert waited for the holder's commit, so it sees the row.
            using var select = new NpgsqlCommand($"SELECT {Columns} FROM executions WHERE idempotency_key = @key", connection);
            select.Parameters.AddWithValue("key", record.IdempotencyKey);
            var reader = await select.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using var readerLifetime = reader.ConfigureAwait(false);
            return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)
                ? Read(reader)
                : throw new CountersignStoreException($"Idempotency key '{record.IdempotencyKey}' is claimed but cannot be read.", isTransient: true);
        }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(string idempotencyKey, string actionId, ExecutionStatus status, string? resultJson, string? errorMessage, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckCompletion(idempotencyKey, actionId, status);
        await _database.RunAsync("record an execution's outcome", async connection =>
        {
            using var update = new NpgsqlCommand(
                """
                UPDATE executions SET status = @status, result_json = @result, error = @error, completed_at = @completed
                WHERE idempotency_key = @key AND action_id = @action AND status = 0
                """,
                connection);
            update.Parameters.AddWithValue("status", (short)status);
            update.Parameters.AddWithValue("result", NpgsqlDbType.Text, (object?)resultJson ?? DBNull.Value);
            update.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)errorMessage ?? DBNull.Value);
            update.Parameters.AddWithValue("completed", PostgresTime.Stored(completedAt));
            update.Parameters.AddWithValue("key", idempotencyKey);
            update.Parameters.AddWithValue("action", actionId);
            return await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string idempotencyKey, string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        await _database.RunAsync("release an idempotency key", async connection =>
        {
            using var delete = new NpgsqlCommand("DELETE FROM executions WHERE idempotency_key = @key AND action_id = @action AND status = 0", connection);
            delete.Parameters.AddWithValue("key", idempotencyKey);
            delete.Parameters.AddWithValue("action", actionId);
            return await delete.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }, CancellationToken.None).ConfigureAwait(false);
    }

    private static ExecutionRecord Read(NpgsqlDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        ActionId = reader.GetString(1),
        ToolName = reader.GetString(2),
        PayloadHash = reader.GetString(3),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(4),
        Status = (ExecutionStatus)reader.GetInt16(5),
        ResultJson = reader.IsDBNull(6) ? null : reader.GetString(6),
        Error = reader.IsDBNull(7) ? null : reader.GetString(7),
        CompletedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
    };
}
