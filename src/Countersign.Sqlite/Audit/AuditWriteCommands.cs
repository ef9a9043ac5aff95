using System.Text;
using Countersign.Audit;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Countersign.Sqlite;

/// <summary>
/// The writer's statements on its own connection: reading the chain head, inserting an entry, moving the head.
/// The insert, run for every entry, is a native prepared statement bound straight from the entry's UTF-8 bytes,
/// skipping the provider's per-parameter conversions on the one path where they add up.
/// </summary>
internal sealed class AuditWriteCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _readHead;
    private readonly SqliteCommand _updateHead;
    private readonly SqliteParameter _headSequence;
    private readonly SqliteParameter _headMac;
    private readonly sqlite3_stmt _insert;

    public AuditWriteCommands(SqliteConnection connection)
    {
        _connection = connection;
        _readHead = connection.CreateCommand();
        _readHead.CommandText = "SELECT sequence, mac FROM audit_chain_head WHERE id = 1";

        _updateHead = connection.CreateCommand();
        _updateHead.CommandText = "UPDATE audit_chain_head SET sequence = $sequence, mac = $mac WHERE id = 1";
        _headSequence = _updateHead.Parameters.Add("$sequence", SqliteType.Integer);
        _headMac = _updateHead.Parameters.Add("$mac", SqliteType.Text);

        var result = raw.sqlite3_prepare_v2(
            connection.Handle,
            "INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES (?1, ?2, ?3, ?4, ?5)",
            out _insert);
        SqliteException.ThrowExceptionForRC(result, connection.Handle);
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

    /// <summary>Inserts a row inside the connection's open transaction; <paramref name="entryBytes"/> is the canonical JSON its MAC covers.</summary>
    public void Insert(long sequence, ReadOnlySpan<byte> entryBytes, ReadOnlySpan<byte> keyId, string previousMac, string mac)
    {
        Span<byte> previousMacText = stackalloc byte[previousMac.Length];
        Span<byte> macText = stackalloc byte[mac.Length];
        Encoding.ASCII.GetBytes(previousMac, previousMacText);
        Encoding.ASCII.GetBytes(mac, macText);
        raw.sqlite3_bind_int64(_insert, 1, sequence);
        raw.sqlite3_bind_text(_insert, 2, entryBytes);
        raw.sqlite3_bind_text(_insert, 3, keyId);
        raw.sqlite3_bind_text(_insert, 4, previousMacText);
        raw.sqlite3_bind_text(_insert, 5, macText);
        var result = raw.sqlite3_step(_insert);
        raw.sqlite3_reset(_insert);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }
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
        _insert.Dispose();
        _readHead.Dispose();
        _updateHead.Dispose();
    }
}
