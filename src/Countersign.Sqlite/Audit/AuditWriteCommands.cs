using System.Text;
using Countersign.Audit;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Countersign.Sqlite;

/// <summary>
/// The writer's statements on its own connection, each a native statement prepared once and reused for every batch:
/// taking the write lock and reading the chain head, inserting entries, moving the head and committing. The provider's
/// commands would prepare <c>BEGIN</c> and <c>COMMIT</c> afresh and build a reader and parameter conversions per batch;
/// on the one path that runs for every audit entry those add up. The connection must serve nothing else.
/// </summary>
internal sealed class AuditWriteCommands : IDisposable
{
    /// <summary>How many rows one multi-row insert carries; the rest of a batch goes in one row at a time.</summary>
    public const int RowsPerInsert = 16;

    private const int KeyIdParameter = (4 * RowsPerInsert) + 1;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _readHead;
    private readonly sqlite3_stmt _insertOne;
    private readonly sqlite3_stmt _insertMany;
    private readonly sqlite3_stmt _updateHead;
    private readonly sqlite3_stmt _commit;
    private int _rowsBound;

    /// <param name="connection">The writer's connection.</param>
    /// <param name="keyId">The id of the key that MACs the entries, the same for every row this writer inserts.</param>
    public AuditWriteCommands(SqliteConnection connection, string keyId)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _readHead = Prepare("SELECT sequence, mac FROM audit_chain_head WHERE id = 1");
        // Row r binds ?(4r+1) to ?(4r+4), here and in the multi-row insert; the key id has a parameter of its own.
        _insertOne = Prepare("INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES (?1, ?2, ?5, ?3, ?4)");
        var rows = Enumerable.Range(0, RowsPerInsert).Select(r => $"(?{(4 * r) + 1}, ?{(4 * r) + 2}, ?{KeyIdParameter}, ?{(4 * r) + 3}, ?{(4 * r) + 4})");
        _insertMany = Prepare("INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES " + string.Join(", ", rows));
        _updateHead = Prepare("UPDATE audit_chain_head SET sequence = ?1, mac = ?2 WHERE id = 1");
        _commit = Prepare("COMMIT");

        // Bindings outlive sqlite3_reset, so the constant column is bound once rather than per row.
        Check(raw.sqlite3_bind_text(_insertOne, 5, keyId));
        Check(raw.sqlite3_bind_text(_insertMany, KeyIdParameter, keyId));
    }

    /// <summary>Begins the write transaction (waiting for another writer's lock up to the busy timeout) and reads the chain head under it.</summary>
    /// <exception cref="FormatException">The chain head row is missing.</exception>
    public AuditChainHead Begin()
    {
        _rowsBound = 0;
        Run(_begin);
        try
        {
            if (Step(_readHead) != raw.SQLITE_ROW)
            {
                throw new FormatException("The audit chain head row is missing.");
            }

            return new AuditChainHead(raw.sqlite3_column_int64(_readHead, 0), raw.sqlite3_column_text(_readHead, 1).utf8_to_string());
        }
        finally
        {
            raw.sqlite3_reset(_readHead);
        }
    }

    /// <summary>
    /// Inserts a row inside the open transaction, in sequence order; <paramref name="entryBytes"/> is the canonical JSON
    /// its MAC covers. Rows go out in groups of <see cref="RowsPerInsert"/> while at least that many are left.
    /// </summary>
    /// <param name="rowsLeft">How many rows of the batch are left to insert, this one included.</param>
    /// <param name="sequence">The row's sequence.</param>
    /// <param name="entryBytes">The entry's canonical JSON.</param>
    /// <param name="previousMac">The MAC of the row before.</param>
    /// <param name="mac">The row's MAC.</param>
    public void Insert(int rowsLeft, long sequence, ReadOnlySpan<byte> entryBytes, string previousMac, string mac)
    {
        if (_rowsBound == 0 && rowsLeft < RowsPerInsert)
        {
            BindRow(_insertOne, 1, sequence, entryBytes, previousMac, mac);
            Run(_insertOne);
            return;
        }

        BindRow(_insertMany, (4 * _rowsBound) + 1, sequence, entryBytes, previousMac, mac);
        if (++_rowsBound == RowsPerInsert)
        {
            _rowsBound = 0;
            Run(_insertMany);
        }
    }

    /// <summary>Moves the chain head and commits. A failure leaves the transaction open; closing the connection rolls it back.</summary>
    /// <exception cref="InvalidOperationException">A group of rows was started and not finished.</exception>
    public void Commit(AuditChainHead head)
    {
        if (_rowsBound != 0)
        {
            throw new InvalidOperationException($"{_rowsBound} rows were bound for a multi-row insert that never ran.");
        }

        Check(raw.sqlite3_bind_int64(_updateHead, 1, head.Sequence));
        BindAscii(_updateHead, 2, head.Mac);
        Run(_updateHead);
        Run(_commit);
    }

    public void Dispose()
    {
        _begin.Dispose();
        _readHead.Dispose();
        _insertOne.Dispose();
        _insertMany.Dispose();
        _updateHead.Dispose();
        _commit.Dispose();
    }

    private void BindRow(sqlite3_stmt statement, int first, long sequence, ReadOnlySpan<byte> entryBytes, string previousMac, string mac)
    {
        Check(raw.sqlite3_bind_int64(statement, first, sequence));
        Check(raw.sqlite3_bind_text(statement, first + 1, entryBytes));
        BindAscii(statement, first + 2, previousMac);
        BindAscii(statement, first + 3, mac);
    }

    /// <summary>Binds ASCII text (a MAC) from the stack; SQLite copies it.</summary>
    private void BindAscii(sqlite3_stmt statement, int index, string text)
    {
        Span<byte> bytes = stackalloc byte[text.Length];
        Encoding.ASCII.GetBytes(text, bytes);
        Check(raw.sqlite3_bind_text(statement, index, bytes));
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement));
        return statement;
    }

    private int Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        if (result is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            raw.sqlite3_reset(statement);
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }

        return result;
    }

    /// <summary>Steps a statement that returns no rows, then resets it for its next use.</summary>
    private void Run(sqlite3_stmt statement)
    {
        Step(statement);
        raw.sqlite3_reset(statement);
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }
    }
}
