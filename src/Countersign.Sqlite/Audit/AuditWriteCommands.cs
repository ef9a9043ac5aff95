using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The writer's prepared statements, compiled once per connection and rebound per row: reading the chain head,
/// inserting an entry, moving the head.
/// </summary>
internal sealed class AuditWriteCommands : IDisposable
{
    private static readonly object One = 1L;
    private static readonly object Zero = 0L;

    private readonly SqliteCommand _readHead;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _updateHead;
    private readonly SqliteParameter[] _row;
    private readonly SqliteParameter _headSequence;
    private readonly SqliteParameter _headMac;

    public AuditWriteCommands(SqliteConnection connection)
    {
        _readHead = connection.CreateCommand();
        _readHead.CommandText = "SELECT sequence, mac FROM audit_chain_head WHERE id = 1";

        _insert = connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO audit_entries (sequence, timestamp, kind, action_id, tool, agent_id, session_id, requested_by,
                args, payload_hash, verdict, mode, would_block, needed_approval, approved, approval_id, decision_source,
                actor, decision_comment, reasons_json, execution_path, executed, result, error, key_id, prev_mac, mac)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17,
                $p18, $p19, $p20, $p21, $p22, $p23, $p24, $p25, $p26)
            """;
        _row = new SqliteParameter[27];
        for (var i = 0; i < _row.Length; i++)
        {
            _row[i] = _insert.Parameters.Add("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteType.Text);
        }

        _row[0].SqliteType = SqliteType.Integer;
        foreach (var flag in new[] { 12, 13, 14, 21 })
        {
            _row[flag].SqliteType = SqliteType.Integer;
        }

        _updateHead = connection.CreateCommand();
        _updateHead.CommandText = "UPDATE audit_chain_head SET sequence = $sequence, mac = $mac WHERE id = 1";
        _headSequence = _updateHead.Parameters.Add("$sequence", SqliteType.Integer);
        _headMac = _updateHead.Parameters.Add("$mac", SqliteType.Text);
    }

    public AuditChainHead ReadHead(SqliteTransaction transaction)
    {
        _readHead.Transaction = transaction;
        using var reader = _readHead.ExecuteReader();
        if (!reader.Read())
        {
            throw new FormatException("The audit chain head row is missing.");
        }

        return new AuditChainHead(reader.GetInt64(0), reader.GetString(1));
    }

    public void Insert(SqliteTransaction transaction, AuditRecord record)
    {
        var entry = record.Entry;
        _row[0].Value = record.Sequence;
        _row[1].Value = SqliteText.FormatTime(entry.Timestamp);
        _row[2].Value = AuditEntryJson.KindName(entry.Kind);
        _row[3].Value = entry.ActionId;
        _row[4].Value = entry.ToolName;
        _row[5].Value = Text(entry.AgentId);
        _row[6].Value = Text(entry.SessionId);
        _row[7].Value = Text(entry.RequestedBy);
        _row[8].Value = Text(entry.ArgumentsJson);
        _row[9].Value = Text(entry.PayloadHash);
        _row[10].Value = Text(entry.Verdict);
        _row[11].Value = Text(entry.Mode);
        _row[12].Value = Flag(entry.WouldBlock);
        _row[13].Value = Flag(entry.NeededApproval);
        _row[14].Value = Flag(entry.Approved);
        _row[15].Value = Text(entry.ApprovalId);
        _row[16].Value = Text(entry.DecisionSource);
        _row[17].Value = Text(entry.Actor);
        _row[18].Value = Text(entry.Comment);
        _row[19].Value = entry.Reasons.Count == 0 ? DBNull.Value : SqliteText.WriteList(entry.Reasons);
        _row[20].Value = Text(entry.ExecutionPath);
        _row[21].Value = Flag(entry.Executed);
        _row[22].Value = Text(entry.ResultJson);
        _row[23].Value = Text(entry.Error);
        _row[24].Value = record.KeyId;
        _row[25].Value = record.PreviousMac;
        _row[26].Value = record.Mac;
        _insert.Transaction = transaction;
        _insert.ExecuteNonQuery();
    }

    public void UpdateHead(SqliteTransaction transaction, AuditChainHead head)
    {
        _updateHead.Transaction = transaction;
        _headSequence.Value = head.Sequence;
        _headMac.Value = head.Mac;
        _updateHead.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _readHead.Dispose();
        _insert.Dispose();
        _updateHead.Dispose();
    }

    private static object Text(string? value) => (object?)value ?? DBNull.Value;

    private static object Flag(bool? value) => value is { } flag ? (flag ? One : Zero) : DBNull.Value;
}
