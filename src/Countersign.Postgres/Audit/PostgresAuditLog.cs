using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Countersign.Audit;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>
/// The <see cref="IAuditLog"/> of a <see cref="PostgresStore"/>, with group commit: appends queue up, and one writer
/// links everything queued into the chain and commits it in one transaction (one multi-row insert), then completes every
/// caller in it, or fails them all. Each transaction first takes an advisory lock and reads the chain head under it, so
/// writers on every host extend one chain, one batch at a time.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog
{
    private const int MaxEntriesPerTransaction = 8192;
    private const int RecordsPerPage = 1024;

    private readonly PostgresDatabase _database;
    private readonly ILogger _logger;
    private readonly Channel<PendingAuditAppend> _queue = Channel.CreateUnbounded<PendingAuditAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _transactionsCommitted;

    // The chain head as of this writer's last commit; only the writer's loop touches it.
    private AuditChainHead? _head;

    internal PostgresAuditLog(PostgresDatabase database, AuditChain chain, ILogger logger)
    {
        _database = database;
        _logger = logger;
        Chain = chain;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Gets how many write transactions committed; with concurrent callers it stays well below the append count.</summary>
    internal long TransactionsCommitted => Interlocked.Read(ref _transactionsCommitted);

    /// <summary>Gets the chain rules and keys this log links and verifies with.</summary>
    public AuditChain Chain { get; }

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // Checked and serialized on the caller's thread: one caller's bad entry cannot fail the others sharing its
        // transaction, and the writer is left with only the MACs and the insert.
        var copy = new string[entries.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Encoding.UTF8.GetString(AuditChain.GetEntryBytes(entries[i]));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (copy.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        var pending = new PendingAuditAppend(copy);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw PostgresErrors.Disposed();
        }

        return new ValueTask(cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);

        // Page by sequence: entries are only ever added at the end, so short reads see what one long one would.
        var after = afterSequence;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _database.RunAsync("read audit entries", connection => ReadPageAsync(connection, after, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < RecordsPerPage)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    /// <inheritdoc />
    public async ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // One snapshot: the head and the entries as of the same moment, whatever writers do meanwhile.
        return await _database.InTransactionAsync("verify the audit chain", advisoryLock: null, (connection, transaction) => VerifyAsync(connection, transaction, cancellationToken), cancellationToken, IsolationLevel.RepeatableRead).ConfigureAwait(false);
    }

    internal async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private static async Task<List<AuditRecord>> ReadPageAsync(NpgsqlConnection connection, long afterSequence, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT sequence, entry, key_id, prev_mac, mac FROM audit_entries WHERE sequence > @after ORDER BY sequence LIMIT @limit", connection);
        command.Parameters.AddWithValue("after", afterSequence);
        command.Parameters.AddWithValue("limit", RecordsPerPage);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerLifetime = reader.ConfigureAwait(false);
        var page = new List<AuditRecord>(RecordsPerPage);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(ReadRecord(reader));
        }

        return page;
    }

    private static AuditRecord ReadRecord(NpgsqlDataReader reader)
    {
        var sequence = reader.GetInt64(0);
        try
        {
            var entry = AuditChain.ReadEntry(Encoding.UTF8.GetBytes(reader.GetString(1)));
            return new AuditRecord(sequence, entry, reader.GetString(2), reader.GetString(3), reader.GetString(4));
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new FormatException($"Audit entry {sequence} is not valid JSON.", exception);
        }
        catch (InvalidOperationException exception)
        {
            // Utf8JsonReader reports a member of the wrong type this way.
            throw new FormatException($"Audit entry {sequence} has a member of the wrong type.", exception);
        }
    }

    private async Task<AuditVerificationResult> VerifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        AuditChainHead head;
        using (var readHead = new NpgsqlCommand("SELECT sequence, mac FROM audit_chain_head WHERE id = 1", connection, transaction))
        {
            var headReader = await readHead.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (headReader.ConfigureAwait(false))
            {
                if (!await headReader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return AuditVerificationResult.Broken(0, 1, "The audit chain head row is missing: the log's tail cannot be checked.");
                }

                head = new AuditChainHead(headReader.GetInt64(0), headReader.GetString(1));
            }
        }

        using var verifier = Chain.CreateVerifier();
        using var command = new NpgsqlCommand("SELECT sequence, entry, key_id, prev_mac, mac FROM audit_entries ORDER BY sequence", connection, transaction);
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        await using var readerLifetime = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // The MAC is checked over the stored text itself, so what verifies is exactly what is in the table.
            var sequence = reader.GetInt64(0);
            var entryBytes = Encoding.UTF8.GetBytes(reader.GetString(1));
            if (!verifier.CheckStored(sequence, reader.GetString(2), reader.GetString(3), reader.GetString(4), entryBytes))
            {
                break;
            }
        }

        return verifier.Complete(head);
    }

    private async Task WriteLoopAsync()
    {
        using var macs = new AuditMacComputer(Chain.Keys);
        NpgsqlConnection? connection = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var batch = new List<PendingAuditAppend>();
                var entryCount = 0;
                while (entryCount < MaxEntriesPerTransaction && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    entryCount += pending.Entries.Length;
                }

                try
                {
                    connection ??= await _database.DataSource.OpenConnectionAsync().ConfigureAwait(false);
                    await CommitAsync(connection, macs, batch, entryCount).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // Whatever failed, every caller in the batch hears about it, and the writer lives on.
                    PostgresStoreLog.AuditCommitFailed(_logger, entryCount, exception);
                    var error = PostgresErrors.IsStoreFailure(exception)
                        ? _database.Failed("commit audit entries", exception)
                        : PostgresErrors.Wrap("commit audit entries", exception);
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetException(error);
                    }

                    // A fresh connection next time, in case this one is what broke; closing it rolls back what it began.
                    _head = null;
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }

                    continue;
                }

                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult();
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Commits a batch in one round trip when the chain head this writer last saw is still the head: begin, take the
    /// lock, insert the rows linked to that head, move the head, commit, with the insert and the move conditional on the
    /// head being unchanged. Under the lock nothing else moves it between those statements, so either both apply or
    /// neither does. When another host appended meanwhile, neither does; the writer then reads the head under the lock
    /// and commits in a second round trip.
    /// </summary>
    private async Task CommitAsync(NpgsqlConnection connection, AuditMacComputer macs, List<PendingAuditAppend> batch, int entryCount)
    {
        if (_head is { } expected && await TryCommitAsync(connection, macs, batch, entryCount, expected, readHead: false).ConfigureAwait(false))
        {
            return;
        }

        await TryCommitAsync(connection, macs, batch, entryCount, expected: null, readHead: true).ConfigureAwait(false);
    }

    /// <summary>Links the batch to <paramref name="expected"/> (or to the head read under the lock) and commits it.</summary>
    /// <returns>Whether the rows were committed; <see langword="false"/> only when the head was not <paramref name="expected"/>.</returns>
    private async Task<bool> TryCommitAsync(NpgsqlConnection connection, AuditMacComputer macs, List<PendingAuditAppend> batch, int entryCount, AuditChainHead? expected, bool readHead)
    {
        var start = expected;
        if (readHead)
        {
            var begin = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("BEGIN"),
                    new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresLocks.AuditChain})"),
                    new NpgsqlBatchCommand("SELECT sequence, mac FROM audit_chain_head WHERE id = 1"),
                },
            };
            await using (begin.ConfigureAwait(false))
            {
                var reader = await begin.ExecuteReaderAsync().ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.NextResultAsync().ConfigureAwait(false);
                    if (!await reader.ReadAsync().ConfigureAwait(false))
                    {
                        throw new FormatException("The audit chain head row is missing.");
                    }

                    start = new AuditChainHead(reader.GetInt64(0), reader.GetString(1));
                }
            }
        }

        var sequence = start!.Sequence;
        var mac = start.Mac;
        var sequences = new long[entryCount];
        var texts = new string[entryCount];
        var previous = new string[entryCount];
        var linked = new string[entryCount];
        var i = 0;
        foreach (var pending in batch)
        {
            foreach (var entry in pending.Entries)
            {
                sequences[i] = ++sequence;
                texts[i] = entry;
                previous[i] = mac;
                mac = macs.ComputeCurrent(sequence, Encoding.UTF8.GetBytes(entry), mac);
                linked[i] = mac;
                i++;
            }
        }

        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac)
            SELECT s, e, @key_id, p, m FROM unnest(@sequences, @entries, @previous, @macs) AS t (s, e, p, m)
            WHERE EXISTS (SELECT 1 FROM audit_chain_head WHERE id = 1 AND sequence = @from_sequence AND mac = @from_mac)
            """);
        insert.Parameters.Add(new NpgsqlParameter("key_id", NpgsqlDbType.Text) { Value = Chain.Keys.CurrentKeyId });
        insert.Parameters.Add(new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sequences });
        insert.Parameters.Add(new NpgsqlParameter("entries", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts });
        insert.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = previous });
        insert.Parameters.Add(new NpgsqlParameter("macs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = linked });
        insert.Parameters.Add(new NpgsqlParameter("from_sequence", NpgsqlDbType.Bigint) { Value = start.Sequence });
        insert.Parameters.Add(new NpgsqlParameter("from_mac", NpgsqlDbType.Text) { Value = start.Mac });
        var moveHead = new NpgsqlBatchCommand("UPDATE audit_chain_head SET sequence = @sequence, mac = @mac WHERE id = 1 AND sequence = @from_sequence AND mac = @from_mac");
        moveHead.Parameters.Add(new NpgsqlParameter("sequence", NpgsqlDbType.Bigint) { Value = sequence });
        moveHead.Parameters.Add(new NpgsqlParameter("mac", NpgsqlDbType.Text) { Value = mac });
        moveHead.Parameters.Add(new NpgsqlParameter("from_sequence", NpgsqlDbType.Bigint) { Value = start.Sequence });
        moveHead.Parameters.Add(new NpgsqlParameter("from_mac", NpgsqlDbType.Text) { Value = start.Mac });
        var commit = new NpgsqlBatch(connection) { BatchCommands = { insert, moveHead, new NpgsqlBatchCommand("COMMIT") } };
        if (!readHead)
        {
            // The optimistic path sends everything at once: begin, lock, rows, head, commit.
            commit.BatchCommands.Insert(0, new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresLocks.AuditChain})"));
            commit.BatchCommands.Insert(0, new NpgsqlBatchCommand("BEGIN"));
        }

        await using (commit.ConfigureAwait(false))
        {
            await commit.ExecuteNonQueryAsync().ConfigureAwait(false);
            if (moveHead.RecordsAffected != 1)
            {
                _head = null;
                return false;
            }
        }

        _head = new AuditChainHead(sequence, mac);
        Interlocked.Increment(ref _transactionsCommitted);
        return true;
    }
}
