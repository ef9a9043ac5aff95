using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// Hears approval changes other hosts commit, without polling: a dedicated connection runs
/// <c>LISTEN countersign_approvals</c>, and every committed change is announced on it with the approval's id. When the
/// connection drops it reconnects (backing off) and then reports "anything may have changed", so the store reads every
/// waited-for approval again and no decision made while it was away is missed. Notifications that arrive together are
/// handled together.
/// </summary>
internal sealed class PostgresChangeListener : IAsyncDisposable
{
    /// <summary>The application name of the listening connection, so an operator can see it in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "countersign-listener";

    private readonly string _connectionString;
    private readonly Func<IReadOnlySet<string>?, CancellationToken, Task> _changed;
    private readonly TimeSpan _reconnectDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<string?> _heard = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private Task _listening = Task.CompletedTask;
    private Task _handling = Task.CompletedTask;
    private bool _started;
    private bool _disposed;
    private long _connections;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="changed">Called with the ids announced, or <see langword="null"/> when anything may have changed.</param>
    /// <param name="reconnectDelay">The first wait before reconnecting.</param>
    /// <param name="timeProvider">Times the waits.</param>
    /// <param name="logger">Where lost connections are reported.</param>
    public PostgresChangeListener(string connectionString, Func<IReadOnlySet<string>?, CancellationToken, Task> changed, TimeSpan reconnectDelay, TimeProvider timeProvider, ILogger logger)
    {
        // Its own connection outside the pool: it stays open for the store's life, and keepalives notice a dead peer.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            KeepAlive = 10,
            Enlist = false,
        }.ConnectionString;
        _changed = changed;
        _reconnectDelay = reconnectDelay;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets how many times the listener has connected and started listening.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Completes once the listener has connected and started listening <paramref name="count"/> times in all.</summary>
    /// <param name="count">The number of connections to wait for.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the listener has connected that often.</returns>
    public async Task WaitUntilConnectedAsync(long count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (Connections >= count)
                {
                    return;
                }

                next = _connected.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts listening unless it already is; called when the first caller starts waiting or watching.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_started || _disposed)
            {
                return;
            }

            _started = true;
            _listening = Task.Run(() => ListenAsync(_stopping.Token));
            _handling = Task.Run(() => HandleAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _heard.Writer.TryComplete();
        await _listening.ConfigureAwait(false);
        await _handling.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var delay = _reconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = new NpgsqlConnection(_connectionString);
                await using var connectionLifetime = connection.ConfigureAwait(false);
                connection.Notification += (_, notification) => _heard.Writer.TryWrite(notification.Payload);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using (var listen = new NpgsqlCommand($"LISTEN {PostgresSchema.ApprovalChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Whatever was committed before LISTEN took effect (while connecting, or while disconnected) was not
                // announced to this connection: read it all again.
                _heard.Writer.TryWrite(null);
                lock (_lock)
                {
                    Interlocked.Increment(ref _connections);
                    var connected = _connected;
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    connected.SetResult();
                }

                PostgresStoreLog.ListenerConnected(_logger);
                delay = _reconnectDelay;
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
            {
                PostgresStoreLog.ListenerFailed(_logger, delay, exception);
            }

            try
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _reconnectDelay.Ticks * 16));
        }
    }

    private async Task HandleAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await _heard.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var everything = false;
                ids.Clear();
                while (_heard.Reader.TryRead(out var id))
                {
                    if (id is null)
                    {
                        everything = true;
                    }
                    else
                    {
                        ids.Add(id);
                    }
                }

                try
                {
                    await _changed(everything ? null : ids, cancellationToken).ConfigureAwait(false);
                }
                catch (CountersignStoreException exception)
                {
                    // The read failed, so what changed is unknown: try again after a pause, reading everything.
                    PostgresStoreLog.ListenerFailed(_logger, _reconnectDelay, exception);
                    await Task.Delay(_reconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    _heard.Writer.TryWrite(null);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal stops the loop.
        }
    }
}
