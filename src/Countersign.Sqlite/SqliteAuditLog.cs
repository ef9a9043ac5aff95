using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Countersign.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="IAuditLog"/> of a <see cref="SqliteStore"/>, with group commit: appends queue up, and one writer
/// links everything queued into the chain and commits it in a single transaction, then completes every caller in it
/// (or fails them all) once the transaction is durable. The chain head is read inside the write transaction, so
/// processes sharing the file extend one chain.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog
{
    private const int MaxEntriesPerTransaction = 8192;
    private const int RecordsPerPage = 1024;

    // The chain columns and b-tree bookkeeping a row adds beside its entry text, for the checkpointer's estimate.
    private const int RowOverhead = 180;

    private readonly SqliteConnectionPool _pool;
    private readonly SqliteConnectionFactory _writerConnections;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly ILogger _logger;
    private readonly Channel<PendingAuditAppend> _queue = Channel.CreateUnbounded<PendingAuditAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly bool _readOnly;
    private readonly AuditLogSyncer? _syncer;
    private readonly Task _writer;
    private long _transactionsCommitted;

    /// <param name="pool">Connections for reads.</param>
    /// <param name="writerConnections">Opens the writer's connection.</param>
    /// <param name="checkpointer">Told how much was written.</param>
    /// <param name="chain">The chain rules and keys.</param>
    /// <param name="readOnly">Whether appends are refused.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="syncLog">At <see cref="SqliteDurability.Full"/>, syncs the write-ahead log; <see cref="SqliteWalFile.Sync"/> unless a test scripts it.</param>
    internal SqliteAuditLog(SqliteConnectionPool pool, SqliteConnectionFactory writerConnections, SqliteCheckpointer checkpointer, AuditChain chain, bool readOnly, ILogger logger, Action<SqliteWalFile>? syncLog = null)
    {
        _pool = pool;
        _checkpointer = checkpointer;
        _writerConnections = writerConnections;
        _logger = logger;
        _readOnly = readOnly;
        Chain = chain;
        if (readOnly)
        {
            _writer = Task.CompletedTask;
            return;
        }

        if (writerConnections.Durability == SqliteDurability.Full)
        {
            _syncer = new AuditLogSyncer(syncLog ?? (static wal => wal.Sync()), logger);
        }

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
        if (_readOnly)
        {
            throw new CountersignStoreException("The SQLite store was opened read-only; it appends no audit entries.", isTransient: false);
        }

        // Checked and serialized here, on the caller's thread: one caller's bad entry cannot fail the others sharing
        // its transaction, and the single writer is left with only the MACs and the inserts.
        var copy = new byte[entries.Count][];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = AuditChain.GetEntryBytes(entries[i]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (copy.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        var pending = new PendingAuditAppend(copy);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw SqliteErrors.Disposed();
        }

        return new ValueTask(cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);

        // Page by sequence: entries are only ever added at the end, so short reads see the same rows one long
        // transaction would, without holding a snapshot that stops the WAL from being checkpointed.
        var after = afterSequence;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await Task.Run(() => ReadPage(after), cancellationToken).ConfigureAwait(false);
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
    public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<AuditVerificationResult>(Task.Run(() => Verify(cancellationToken), cancellationToken));
    }

    internal async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_syncer is not null)
        {
            await _syncer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private List<AuditRecord> ReadPage(long afterSequence) => _pool.Run("read audit entries", connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AuditRows.SelectColumns + " WHERE sequence > $after ORDER BY sequence LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", RecordsPerPage);
        using var reader = command.ExecuteReader();
        var page = new List<AuditRecord>(RecordsPerPage);
        while (reader.Read())
        {
            page.Add(AuditRows.Read(reader));
        }

        return page;
    });

    private AuditVerificationResult Verify(CancellationToken cancellationToken) => _pool.Run("verify the audit chain", connection =>
    {
        // One read transaction: the head and the entries come from the same snapshot, whatever writers do meanwhile.
        using var transaction = connection.BeginTransaction(deferred: true);
        AuditChainHead head;
        using (var readHead = connection.CreateCommand())
        {
            readHead.Transaction = transaction;
            readHead.CommandText = "SELECT sequence, mac FROM audit_chain_head WHERE id = 1";
            using var headReader = readHead.ExecuteReader();
            if (!headReader.Read())
            {
                return AuditVerificationResult.Broken(0, 1, "The audit chain head row is missing: the log's tail cannot be checked.");
            }

            head = new AuditChainHead(headReader.GetInt64(0), headReader.GetString(1));
        }

        using var verifier = Chain.CreateVerifier();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AuditRows.SelectColumns + " ORDER BY sequence";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();

            bool intact;
            try
            {
                // The MAC is checked over the stored text itself, so what verifies is exactly what is on disk.
                var entryBytes = System.Text.Encoding.UTF8.GetBytes(reader.GetString(1));
                intact = verifier.CheckStored(reader.GetInt64(0), reader.GetString(2), reader.GetString(3), reader.GetString(4), entryBytes);
            }
            catch (Exception exception) when (exception is InvalidCastException or InvalidOperationException or FormatException)
            {
                var position = verifier.EntriesChecked + 1;
                return AuditVerificationResult.Broken(position, position, $"The entry at position {position} cannot be read ({exception.Message}): the table was altered outside the store.");
            }

            if (!intact)
            {
                break;
            }
        }

        return verifier.Complete(head);
    });

    private async Task WriteLoopAsync()
    {
        using var macs = new AuditMacComputer(Chain.Keys);
        SqliteConnection? connection = null;
        AuditWriteCommands? commands = null;
        SqliteWalFile? wal = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // A new list each time: at Full the syncer keeps it until the batch is on the disk.
                var batch = new List<PendingAuditAppend>();
                var entryCount = 0;
                while (entryCount < MaxEntriesPerTransaction && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    entryCount += pending.Entries.Length;
                }

                try
                {
                    // After a failed sync nothing more is written: what reached the disk before it is unknown.
                    if (_syncer?.Failure is { } syncFailure)
                    {
                        throw syncFailure;
                    }

                    _writerConnections.EnsureFilePresent();
                    connection ??= OpenWriterConnection();
                    commands ??= new AuditWriteCommands(connection, Chain.Keys.CurrentKeyId);
                    Commit(commands, macs, batch, entryCount);

                    // A commit that landed in a file deleted meanwhile is lost to everyone else: report it as a failure.
                    _writerConnections.EnsureFilePresent();
                    if (_syncer is not null)
                    {
                        // The log exists once this connection has committed, and stays at its path while it is open.
                        wal ??= SqliteWalFile.Open(_writerConnections.DatabasePath);
                        _syncer.Committed(wal, batch);
                        continue;
                    }
                }
                catch (Exception exception)
                {
                    // Whatever failed, every caller in the batch must hear about it, and the writer must live on.
                    SqliteStoreLog.AuditCommitFailed(_logger, entryCount, exception);
                    var error = exception as CountersignStoreException ?? SqliteErrors.Wrap("commit audit entries", exception);
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetException(error);
                    }

                    // A fresh connection, and with it the log file opened anew, next time, in case this one is what broke.
                    if (wal is not null)
                    {
                        _syncer!.Retire(wal);
                        wal = null;
                    }

                    commands?.Dispose();
                    connection?.Dispose();
                    commands = null;
                    connection = null;
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
            if (wal is not null)
            {
                _syncer!.Retire(wal);
            }

            commands?.Dispose();
            connection?.Dispose();
        }
    }

    private SqliteConnection OpenWriterConnection()
    {
        var connection = _writerConnections.Open();
        if (_syncer is not null)
        {
            // The syncer syncs the log after each commit, before any caller completes; SQLite need not as well.
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL";
            command.ExecuteNonQuery();
        }

        return connection;
    }

    private void Commit(AuditWriteCommands commands, AuditMacComputer macs, List<PendingAuditAppend> batch, int entryCount)
    {
        // Read under the write lock: another process may have appended since this one last did.
        var head = commands.Begin();
        var sequence = head.Sequence;
        var mac = head.Mac;
        var rowsLeft = entryCount;
        long bytes = 0;
        foreach (var pending in batch)
        {
            foreach (var entry in pending.Entries)
            {
                var next = macs.ComputeCurrent(++sequence, entry, mac);
                commands.Insert(rowsLeft--, sequence, entry, mac, next);
                mac = next;
                bytes += entry.Length + RowOverhead;
            }
        }

        commands.Commit(new AuditChainHead(sequence, mac));
        Interlocked.Increment(ref _transactionsCommitted);
        _checkpointer.Written(bytes);
    }
}
