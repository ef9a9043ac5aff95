using System.Data;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// The store's pooled connections and the one way every component runs work on them: failures become
/// <see cref="CountersignStoreException"/>, and a dropped connection empties the pool so the next call connects afresh.
/// </summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private volatile bool _disposed;

    /// <summary>Gets the data source the pool belongs to.</summary>
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Runs <paramref name="work"/> on a pooled connection.</summary>
    public async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        try
        {
            var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
        {
            throw Failed(operation, exception);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, blocking: for the rare read that must be done before the caller's call returns.</summary>
    public T Run<T>(string operation, Func<NpgsqlConnection, T> work)
    {
        ThrowIfDisposed();
        try
        {
            using var connection = DataSource.OpenConnection();
            return work(connection);
        }
        catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
        {
            throw Failed(operation, exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that commits when it returns, after taking the advisory lock
    /// <paramref name="advisoryLock"/> (held to the commit) when one is given.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        string operation,
        long? advisoryLock,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work,
        CancellationToken cancellationToken,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        ThrowIfDisposed();
        try
        {
            var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            await using var transactionLifetime = transaction.ConfigureAwait(false);
            if (advisoryLock is { } key)
            {
                using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
                take.Parameters.AddWithValue("key", key);
                await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
        {
            throw Failed(operation, exception);
        }
    }

    /// <summary>Wraps a failure; after a dropped connection, the pool's idle connections are discarded too.</summary>
    public CountersignStoreException Failed(string operation, Exception exception)
    {
        if (PostgresErrors.IsConnectionFailure(exception) && !_disposed)
        {
            DataSource.Clear();
        }

        return PostgresErrors.Wrap(operation, exception);
    }

    public void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw PostgresErrors.Disposed();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
