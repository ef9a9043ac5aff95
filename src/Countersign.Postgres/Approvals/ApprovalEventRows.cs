using Countersign.Approvals;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>Writes the change feed's rows beside each change, and reads them back as events.</summary>
internal static class ApprovalEventRows
{
    private const string PositionSql = "SELECT COALESCE(MAX(sequence), 0) FROM approval_events";

    /// <summary>Records changes, in order, in the transaction that made them; the insert trigger announces each on commit.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(ApprovalEventKind Kind, ApprovalRequest Changed)> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand(
            """
            INSERT INTO approval_events (approval_id, kind, decision_count)
            SELECT id, kind, decision_count FROM unnest(@ids, @kinds, @counts) WITH ORDINALITY AS c (id, kind, decision_count, n)
            ORDER BY n
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(static c => c.Changed.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = changes.Select(static c => (short)c.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = changes.Select(static c => c.Changed.Decisions.Count).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records one change in the transaction that made it.</summary>
    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ApprovalEventKind kind, ApprovalRequest changed, CancellationToken cancellationToken) =>
        InsertAsync(connection, transaction, [(kind, changed)], cancellationToken);

    /// <summary>Reads the position of the latest change, 0 when there is none, blocking.</summary>
    public static long ReadPosition(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(PositionSql, connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Reads the position of the latest change, 0 when there is none.</summary>
    public static async Task<long> ReadPositionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(PositionSql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads up to <paramref name="limit"/> events after <paramref name="position"/>, in order.</summary>
    public static async Task<List<ApprovalEvent>> ReadAfterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long position, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<(long Sequence, string ApprovalId, ApprovalEventKind Kind, int DecisionCount)>();
        using (var command = new NpgsqlCommand(
            "SELECT sequence, approval_id, kind, decision_count FROM approval_events WHERE sequence > @after ORDER BY sequence LIMIT @limit",
            connection,
            transaction))
        {
            command.Parameters.AddWithValue("after", position);
            command.Parameters.AddWithValue("limit", limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerLifetime = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), (ApprovalEventKind)reader.GetInt16(2), reader.GetInt32(3)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(static row => row.ApprovalId).Distinct(StringComparer.Ordinal).ToList();
        var current = (await ApprovalRows.GetManyAsync(connection, transaction, ids, null, cancellationToken).ConfigureAwait(false))
            .ToDictionary(static request => request.Id, StringComparer.Ordinal);
        var events = new List<ApprovalEvent>(rows.Count);
        foreach (var row in rows)
        {
            events.Add(new ApprovalEvent(row.Sequence, row.Kind, StateAt(current[row.ApprovalId], row.Kind, row.DecisionCount)));
        }

        return events;
    }

    /// <summary>The approval as it was right after a change of <paramref name="kind"/>, rebuilt from its current row.</summary>
    private static ApprovalRequest StateAt(ApprovalRequest current, ApprovalEventKind kind, int decisionCount)
    {
        var status = kind switch
        {
            ApprovalEventKind.Created or ApprovalEventKind.Reviewed => ApprovalStatus.Pending,
            ApprovalEventKind.Granted => ApprovalStatus.Granted,
            ApprovalEventKind.Denied => ApprovalStatus.Denied,
            ApprovalEventKind.Expired => ApprovalStatus.Expired,
            ApprovalEventKind.Consumed => ApprovalStatus.Consumed,
            _ => throw new FormatException($"Approval event kind {(int)kind} is not known."),
        };
        return current with
        {
            Status = status,
            Decisions = current.Decisions.Count == decisionCount ? current.Decisions : [.. current.Decisions.Take(decisionCount)],
            GrantExpiresAt = status is ApprovalStatus.Granted or ApprovalStatus.Consumed ? current.GrantExpiresAt : null,
            ConsumedAt = status == ApprovalStatus.Consumed ? current.ConsumedAt : null,
        };
    }
}
