using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The writer's prepared statements, compiled once per connection and rebound per row: reading the chain head,
/// inserting an entry, moving the head.
/// </summary>
internal sealed class AuditWriteCommands : IDisposable
{
    private readonly SqliteCommand _readHead;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _updateHead;
    private readonly SqliteParameter _sequence;
    private readonly SqliteParameter _entry;
    private readonly SqliteParameter _keyId;
    private readonly SqliteParameter _previousMac;
    private readonly SqliteParameter _mac;
    private readonly SqliteParameter _headSequence;
    private readonly SqliteParameter _headMac;

    public AuditWriteCommands(SqliteConnection connection)
    {
        _readHead = connection.CreateCommand();
        _readHead.CommandText = "SELECT sequence, mac FROM audit_chain_head WHERE id = 1";

        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES ($sequence, $entry, $key_id, $prev_mac, $mac)";
        _sequence = _insert.Parameters.Add("$sequence", SqliteType.Integer);
        _entry = _insert.Parameters.Add("$entry", SqliteType.Text);
        _keyId = _insert.Parameters.Add("$key_id", SqliteType.Text);
        _previousMac = _insert.Parameters.Add("$prev_mac", SqliteType.Text);
        _mac = _insert.Parameters.Add("$mac", SqliteType.Text);

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

    /// <summary>Inserts a record; <paramref name="entryText"/> is the entry's canonical JSON, the text its MAC covers.</summary>
    public void Insert(SqliteTransaction transaction, AuditRecord record, string entryText)
    {
        _sequence.Value = record.Sequence;
        _entry.Value = entryText;
        _keyId.Value = record.KeyId;
        _previousMac.Value = record.PreviousMac;
        _mac.Value = record.Mac;
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
}
