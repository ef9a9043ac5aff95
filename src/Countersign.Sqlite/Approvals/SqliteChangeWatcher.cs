using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>
/// Notices changes that other processes commit to the file. While anyone listens (a caller waiting for a decision, or a
/// change feed subscriber), it reads <c>PRAGMA data_version</c> on a dedicated connection every poll interval; the
/// value changes whenever another connection commits, and only then does it tell the store, which reads the waited-for
/// rows and the new feed events. With nobody listening it stops, costing nothing.
/// </summary>
internal sealed class SqliteChangeWatcher : IAsyncDisposable
{
    private readonly SqliteConnectionFactory _factory;
    private readonly Func<bool> _anyoneListening;
    private readonly Action _fileChanged;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private bool _disposed;

    public SqliteChangeWatcher(
        SqliteConnectionFactory factory,
        Func<bool> anyoneListening,
        Action fileChanged,
        TimeSpan interval,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _factory = factory;
        _anyoneListening = anyoneListening;
        _fileChanged = fileChanged;
        _interval = interval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts polling unless it is already running; called when the first caller starts waiting or watching.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_running || _disposed)
            {
                return;
            }

            _running = true;
            _loop = Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        SqliteConnection? connection = null;
        long? lastVersion = null;
        var stoppedForLackOfWaiters = false;
        try
        {
            using var timer = new PeriodicTimer(_interval, _timeProvider);
            while (true)
            {
                if (!KeepRunning())
                {
                    stoppedForLackOfWaiters = true;
                    return;
                }

                try
                {
                    connection ??= _factory.Open();
                    var version = ReadDataVersion(connection);

                    // The first reading always reports a change: one may have landed between a listener's own read and now.
                    if (version != lastVersion)
                    {
                        lastVersion = version;
                        _fileChanged();
                    }
                }
                catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception) || exception is CountersignStoreException)
                {
                    SqliteStoreLog.ChangeCheckFailed(_logger, exception);
                    connection?.Dispose();
                    connection = null;
                    lastVersion = null;
                }

                if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal stops the loop.
        }
        finally
        {
            connection?.Dispose();
            if (!stoppedForLackOfWaiters)
            {
                // KeepRunning already cleared the flag otherwise, and a newer loop may own it by now.
                lock (_lock)
                {
                    _running = false;
                }
            }
        }
    }

    private bool KeepRunning()
    {
        lock (_lock)
        {
            // Deciding to stop under the lock that Start takes means a listener arriving now either sees the loop
            // still running (and this check sees the listener), or sees it stopped and starts a new one.
            if (_disposed || !_anyoneListening())
            {
                _running = false;
                return false;
            }

            return true;
        }
    }

    private static long ReadDataVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }
}
