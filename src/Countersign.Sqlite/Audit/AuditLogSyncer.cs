using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>
/// At <see cref="SqliteDurability.Full"/>, completes the audit writer's committed batches once the write-ahead log
/// holding them is on the disk. The writer commits without SQLite's own sync and goes straight on to its next batch
/// while this thread waits for the disk, so inserting and syncing overlap; one sync covers every batch committed before
/// it began. A failed sync fails its batches and every later one: what reached the disk is then unknown, and a later
/// sync that succeeds would not prove otherwise, so nothing more is acknowledged until the store is reopened.
/// </summary>
internal sealed class AuditLogSyncer
{
    private readonly Action<SqliteWalFile> _sync;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Handover> _handedOver = [];
    private CountersignStoreException? _failure;
    private bool _completing;

    /// <param name="sync">Syncs a log file; <see cref="SqliteWalFile.Sync"/> outside tests.</param>
    /// <param name="logger">Where a failed sync is reported.</param>
    public AuditLogSyncer(Action<SqliteWalFile> sync, ILogger logger)
    {
        _sync = sync;
        _logger = logger;

        // Its own thread: it spends its life blocked in the sync call, which would hold a pool thread hostage.
        new Thread(Run) { IsBackground = true, Name = "Countersign audit log sync" }.Start();
    }

    /// <summary>Gets the error every append fails with once a sync has failed, or <see langword="null"/>.</summary>
    public CountersignStoreException? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Takes a batch committed to <paramref name="wal"/>'s log; its callers complete after the next sync.</summary>
    public void Committed(SqliteWalFile wal, List<PendingAuditAppend> batch)
    {
        CountersignStoreException? failure;
        lock (_gate)
        {
            failure = _failure;
            if (failure is null)
            {
                _handedOver.Add(new Handover(wal, batch));
                Monitor.Pulse(_gate);
                return;
            }
        }

        Fail(batch, failure);
    }

    /// <summary>Takes a log file the writer no longer uses, to close once the batches handed over before it are synced.</summary>
    public void Retire(SqliteWalFile wal)
    {
        lock (_gate)
        {
            _handedOver.Add(new Handover(wal, Batch: null));
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Syncs and completes what was handed over, closes the retired files, and stops.</summary>
    /// <returns>A task that completes when the thread has stopped.</returns>
    public Task CompleteAsync()
    {
        lock (_gate)
        {
            _completing = true;
            Monitor.Pulse(_gate);
        }

        return _stopped.Task;
    }

    private static void Fail(List<PendingAuditAppend> batch, Exception error)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(error);
        }
    }

    private void Run()
    {
        var taken = new List<Handover>();
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    while (_handedOver.Count == 0 && !_completing)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_handedOver.Count == 0)
                    {
                        return;
                    }

                    (taken, _handedOver) = (_handedOver, taken);
                }

                SyncAndComplete(taken);
                taken.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void SyncAndComplete(List<Handover> taken)
    {
        var error = Failure;
        if (error is null)
        {
            try
            {
                // In commit order, so each file is synced once: the writer moves to a new file only after retiring the old.
                SqliteWalFile? synced = null;
                foreach (var (wal, batch) in taken)
                {
                    if (batch is not null && wal != synced)
                    {
                        _sync(wal);
                        synced = wal;
                    }
                }
            }
            catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception))
            {
                error = new CountersignStoreException(
                    $"The SQLite store could not sync its write-ahead log ({exception.Message}), so audit entries committed since the last sync may not be on the disk. The audit log accepts no more entries; reopen the store.",
                    isTransient: false,
                    exception);
                lock (_gate)
                {
                    _failure = error;
                }

                SqliteStoreLog.AuditCommitFailed(_logger, taken.Sum(h => h.Batch?.Sum(p => p.Entries.Length) ?? 0), exception);
            }
        }

        foreach (var (wal, batch) in taken)
        {
            if (batch is null)
            {
                wal.Dispose();
            }
            else if (error is not null)
            {
                Fail(batch, error);
            }
            else
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult();
                }
            }
        }
    }

    /// <summary>A committed batch and the log file holding it, or (with no batch) a retired file.</summary>
    private readonly record struct Handover(SqliteWalFile Wal, List<PendingAuditAppend>? Batch);
}
