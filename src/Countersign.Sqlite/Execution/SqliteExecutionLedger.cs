using Countersign.Execution;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="IExecutionLedger"/> of a <see cref="SqliteStore"/>: the idempotency key is the table's primary key,
/// so of all the processes sharing the file exactly one claims it.
/// </summary>
public sealed class SqliteExecutionLedger : IExecutionLedger
{
    private const string SelectColumns = "SELECT idempotency_key, action_id, tool_name, payload_hash, started_at, status, result_json, error, completed_at FROM executions";
    private readonly SqliteConnectionPool _pool;

    internal SqliteExecutionLedger(SqliteConnectionPool pool)
    {
        _pool = pool;
    }

    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> TryBeginAsync(ExecutionRecord record, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckNew(record);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_pool.Run("claim an idempotency key", connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO executions (idempotency_key, action_id, tool_name, payload_hash, started_at, status)
                VALUES ($key, $action, $tool, $hash, $started, 0)
                ON CONFLICT (idempotency_key) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$key", record.IdempotencyKey);
            insert.Parameters.AddWithValue("$action", record.ActionId);
            insert.Parameters.AddWithValue("$tool", record.ToolName);
            insert.Parameters.AddWithValue("$hash", record.PayloadHash);
            insert.Parameters.AddWithValue("$started", SqliteText.FormatTime(record.StartedAt));
            if (insert.ExecuteNonQuery() == 1)
            {
                return null;
            }

            using var select = connection.CreateCommand();
            select.CommandText = SelectColumns + " WHERE idempotency_key = $key";
            select.Parameters.AddWithValue("$key", record.IdempotencyKey);
            using var reader = select.ExecuteReader();
            return reader.Read() ? Read(reader) : throw new CountersignStoreException($"Idempotency key '{record.IdempotencyKey}' is claimed but cannot be read.", isTransient: true);
        }));
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(string idempotencyKey, string actionId, ExecutionStatus status, string? resultJson, string? errorMessage, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ExecutionLedgerRules.CheckCompletion(idempotencyKey, actionId, status);
        _pool.Run("record an execution's outcome", connection =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE executions SET status = $status, result_json = $result, error = $error, completed_at = $completed
                WHERE idempotency_key = $key AND action_id = $action AND status = 0
                """;
            update.Parameters.AddWithValue("$status", (int)status);
            update.Parameters.AddWithValue("$result", (object?)resultJson ?? DBNull.Value);
            update.Parameters.AddWithValue("$error", (object?)errorMessage ?? DBNull.Value);
            update.Parameters.AddWithValue("$completed", SqliteText.FormatTime(completedAt));
            update.Parameters.AddWithValue("$key", idempotencyKey);
            update.Parameters.AddWithValue("$action", actionId);
            return update.ExecuteNonQuery();
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string idempotencyKey, string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        _pool.Run("release an idempotency key", connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM executions WHERE idempotency_key = $key AND action_id = $action AND status = 0";
            delete.Parameters.AddWithValue("$key", idempotencyKey);
            delete.Parameters.AddWithValue("$action", actionId);
            return delete.ExecuteNonQuery();
        });
        return ValueTask.CompletedTask;
    }

    private static ExecutionRecord Read(SqliteDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        ActionId = reader.GetString(1),
        ToolName = reader.GetString(2),
        PayloadHash = reader.GetString(3),
        StartedAt = SqliteText.ParseTime(reader.GetString(4)),
        Status = (ExecutionStatus)reader.GetInt32(5),
        ResultJson = reader.IsDBNull(6) ? null : reader.GetString(6),
        Error = reader.IsDBNull(7) ? null : reader.GetString(7),
        CompletedAt = reader.IsDBNull(8) ? null : SqliteText.ParseTime(reader.GetString(8)),
    };
}
