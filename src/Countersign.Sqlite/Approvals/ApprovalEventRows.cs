using Countersign.Approvals;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>Writes the change feed's rows beside each change, and reads them back as events.</summary>
internal static class ApprovalEventRows
{
    /// <summary>Records a change to <paramref name="changed"/>, in the transaction that made it.</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, ApprovalEventKind kind, ApprovalRequest changed)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO approval_events (approval_id, kind, decision_count) VALUES ($id, $kind, $count)";
        command.Parameters.AddWithValue("$id", changed.Id);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$count", changed.Decisions.Count);
        command.ExecuteNonQuery();
    }

    /// <summary>Reads the position of the latest change, 0 when there is none.</summary>
    public static long ReadPosition(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(sequence), 0) FROM approval_events";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Reads up to <paramref name="limit"/> events after <paramref name="position"/>, in order.</summary>
    public static List<ApprovalEvent> ReadAfter(SqliteConnection connection, SqliteTransaction transaction, long position, int limit)
    {
        var rows = new List<(long Sequence, string ApprovalId, ApprovalEventKind Kind, int DecisionCount)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT sequence, approval_id, kind, decision_count FROM approval_events
                WHERE sequence > $after ORDER BY sequence LIMIT $limit
                """;
            command.Parameters.AddWithValue("$after", position);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), (ApprovalEventKind)reader.GetInt32(2), reader.GetInt32(3)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(static row => row.ApprovalId).Distinct(StringComparer.Ordinal).ToList();
        var current = ApprovalRows
            .Query(connection, transaction, "WHERE id IN (SELECT value FROM json_each($ids))", p => p.AddWithValue("$ids", SqliteText.WriteList(ids)))
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
