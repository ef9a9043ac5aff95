using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, so the audit writer never stalls on a
/// checkpoint's disk syncs. Store connections turn SQLite's automatic checkpoints off and report what they write;
/// every few megabytes this runs a passive checkpoint, and when steady writing keeps the WAL from ever being fully
/// copied (so it cannot start over), a restart checkpoint that briefly waits for the writer bounds its size.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private const long BytesBetweenCheckpoints = 4L * 1024 * 1024;
    private const long MaxWalFrames = 16_384;

    private readonly SqliteConnectionFactory _factory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _bytesSinceSignal;
    private long _checkpoints;

    public SqliteCheckpointer(SqliteConnectionFactory factory, ILogger logger)
    {
        _factory = factory;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Gets how many checkpoints ran.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Raised after each checkpoint with the WAL's size in frames before it; tests observe it.</summary>
    public event Action<long>? Checkpointed;

    /// <summary>Records that about <paramref name="bytes"/> bytes were committed, and wakes the checkpointer when enough piled up.</summary>
    public void Written(long bytes)
    {
        if (Interlocked.Add(ref _bytesSinceSignal, bytes) < BytesBetweenCheckpoints)
        {
            return;
        }

        Interlocked.Exchange(ref _bytesSinceSignal, 0);
        lock (_signal)
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    connection ??= _factory.Open();
                    var walFrames = Checkpoint(connection, "PASSIVE");
                    if (walFrames > MaxWalFrames)
                    {
                        Checkpoint(connection, "RESTART");
                    }
                }
                catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception))
                {
                    SqliteStoreLog.CheckpointFailed(_logger, exception);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal stops the loop; closing the last connection checkpoints what is left.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private long Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        Interlocked.Increment(ref _checkpoints);

        // The row is (busy, frames in the WAL, frames copied back).
        var walFrames = reader.Read() ? reader.GetInt64(1) : 0;
        Checkpointed?.Invoke(walFrames);
        return walFrames;
    }
}
