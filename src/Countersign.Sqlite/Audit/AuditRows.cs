using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>Reads audit records from rows.</summary>
internal static class AuditRows
{
    public const string SelectColumns = """
        SELECT sequence, timestamp, kind, action_id, tool, agent_id, session_id, requested_by, args, payload_hash,
               verdict, mode, would_block, needed_approval, approved, approval_id, decision_source, actor,
               decision_comment, reasons_json, execution_path, executed, result, error, key_id, prev_mac, mac
        FROM audit_entries
        """;

    /// <summary>Reads the record at the reader's current row.</summary>
    /// <exception cref="FormatException">A column holds a value Countersign never writes.</exception>
    public static AuditRecord Read(SqliteDataReader reader)
    {
        var kindName = reader.GetString(2);
        if (!AuditEntryJson.TryParseKind(kindName, out var kind))
        {
            throw new FormatException($"Audit entry {reader.GetInt64(0)} has the unknown kind '{kindName}'.");
        }

        var entry = new AuditEntry
        {
            Timestamp = SqliteText.ParseTime(reader.GetString(1)),
            Kind = kind,
            ActionId = reader.GetString(3),
            ToolName = reader.GetString(4),
            AgentId = Text(reader, 5),
            SessionId = Text(reader, 6),
            RequestedBy = Text(reader, 7),
            ArgumentsJson = Text(reader, 8),
            PayloadHash = Text(reader, 9),
            Verdict = Text(reader, 10),
            Mode = Text(reader, 11),
            WouldBlock = Flag(reader, 12),
            NeededApproval = Flag(reader, 13),
            Approved = Flag(reader, 14),
            ApprovalId = Text(reader, 15),
            DecisionSource = Text(reader, 16),
            Actor = Text(reader, 17),
            Comment = Text(reader, 18),
            Reasons = reader.IsDBNull(19) ? [] : SqliteText.ReadList(reader.GetString(19)),
            ExecutionPath = Text(reader, 20),
            Executed = Flag(reader, 21),
            ResultJson = Text(reader, 22),
            Error = Text(reader, 23),
        };
        return new AuditRecord(reader.GetInt64(0), entry, reader.GetString(24), reader.GetString(25), reader.GetString(26));
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static bool? Flag(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal) != 0;
}
