using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// A few open connections reused across operations, so each call skips opening the file and running the setup
/// pragmas. A connection that saw a failure is closed rather than reused.
/// </summary>
internal sealed class SqliteConnectionPool : IDisposable
{
    private const int MaxIdle = 8;

    private readonly SqliteConnectionFactory _factory;
    private readonly ConcurrentQueue<SqliteConnection> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteConnectionPool(SqliteConnectionFactory factory)
    {
        _factory = factory;
    }

    /// <summary>Takes an idle connection or opens one.</summary>
    private Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, connection);
        }

        return new Lease(this, _factory.Open());
    }

    /// <summary>Checks that the file is still there, then takes an idle connection or opens one.</summary>
    /// <exception cref="CountersignStoreException">The database file is gone; idle connections to it are closed.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public Lease RentChecked()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureFilePresent();
        return Rent();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a checked connection and returns it to the pool; a store failure marks the
    /// connection broken (so it is not reused) and is rethrown as a <see cref="CountersignStoreException"/> naming
    /// <paramref name="operation"/>.
    /// </summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="operation">What the work does, for the error message, for example <c>claim an idempotency key</c>.</param>
    /// <param name="work">The work.</param>
    /// <returns>The work's result.</returns>
    public T Run<T>(string operation, Func<SqliteConnection, T> work)
    {
        Lease? lease = null;
        try
        {
            lease = RentChecked();
            return work(lease.Connection);
        }
        catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception))
        {
            lease?.MarkBroken();
            throw SqliteErrors.Wrap(operation, exception);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>Fails when the database file is gone, closing idle connections that still point at it.</summary>
    /// <exception cref="CountersignStoreException">The file is gone.</exception>
    public void EnsureFilePresent()
    {
        try
        {
            _factory.EnsureFilePresent();
        }
        catch (CountersignStoreException)
        {
            // A restored file needs fresh connections.
            CloseIdle();
            throw;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }

    private void Return(SqliteConnection connection, bool broken)
    {
        if (broken || _disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!broken && !_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        _idle.Enqueue(connection);

        // Dispose may have drained the queue just before this connection went in.
        if (_disposed && _idle.TryDequeue(out var late))
        {
            late.Dispose();
        }
    }

    /// <summary>One operation's use of a pooled connection.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SqliteConnectionPool _pool;
        private bool _broken;
        private bool _returned;

        internal Lease(SqliteConnectionPool pool, SqliteConnection connection)
        {
            _pool = pool;
            Connection = connection;
        }

        public SqliteConnection Connection { get; }

        /// <summary>Closes the connection instead of reusing it.</summary>
        public void MarkBroken() => _broken = true;

        public void Dispose()
        {
            if (_returned)
            {
                return;
            }

            _returned = true;
            _pool.Return(Connection, _broken);
        }
    }
}
