using System.Runtime.CompilerServices;
using Countersign.Approvals;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="IApprovalStore"/> of a <see cref="SqliteStore"/>. Every change is a conditional update inside a
/// <c>BEGIN IMMEDIATE</c> transaction, so processes sharing the file race safely: one decision at a time, one consumer
/// per grant. Waiters are woken at once by changes made through this instance and, for changes made by other
/// processes, by the store's change polling.
/// </summary>
public sealed class SqliteApprovalStore : IApprovalStore
{
    private const int PrimaryKeyConstraint = 1555;
    private const int IdsPerRecheckQuery = 500;

    private const int WriteSizeEstimate = 2048;

    private readonly SqliteConnectionPool _pool;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly ApprovalWaiters _waiters;
    private readonly SqliteChangeWatcher _watcher;
    private volatile bool _disposed;

    internal SqliteApprovalStore(SqliteConnectionPool pool, SqliteConnectionFactory watcherConnections, SqliteCheckpointer checkpointer, SqliteStoreOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        _pool = pool;
        _checkpointer = checkpointer;
        SqliteChangeWatcher? watcher = null;
        _waiters = new ApprovalWaiters(() => watcher?.Start());
        watcher = new SqliteChangeWatcher(watcherConnections, _waiters, ReadResolved, options.ChangePollInterval, options.TimeProvider, logger);
        _watcher = watcher;
    }

    /// <summary>Gets how many waits are registered; a cancelled wait must not stay behind.</summary>
    internal int WaiterCount => _waiters.Count;

    /// <summary>Gets how many times the change watcher read waited-for rows again.</summary>
    internal long Rechecks => _watcher.Rechecks;

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareNew(request);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write("create an approval request", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (prepared.IdempotencyKey is { } key)
            {
                var existing = ApprovalRows.Query(connection, transaction, "WHERE idempotency_key = $key", p => p.AddWithValue("$key", key));
                if (existing.Count > 0)
                {
                    transaction.Commit();
                    return existing[0];
                }
            }

            try
            {
                ApprovalRows.Insert(connection, transaction, prepared);
            }
            catch (SqliteException exception) when (exception.SqliteExtendedErrorCode == PrimaryKeyConstraint)
            {
                throw new InvalidOperationException($"An approval request with the id '{prepared.Id}' already exists.", exception);
            }

            transaction.Commit();
            return prepared;
        }));
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("read an approval request", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalRows.Get(connection, transaction, id);
        }));
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("find an approval request", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalRows.Query(connection, transaction, "WHERE idempotency_key = $key", p => p.AddWithValue("$key", idempotencyKey)).FirstOrDefault();
        }));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ApprovalRequest> ListPendingAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Read in one snapshot, then hand out: a slow consumer must not hold a read transaction open.
        var pending = Run("list pending approval requests", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalRows.Query(connection, transaction, "WHERE status = 0 ORDER BY created_at, rowid", static _ => { });
        });

        foreach (var request in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return request;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<DecisionResult> RecordDecisionAsync(string id, ReviewerDecision decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareDecision(id, decision);
        cancellationToken.ThrowIfCancellationRequested();
        var result = Write("record a decision", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = ApprovalRows.Get(connection, transaction, id);
            if (current is null)
            {
                return new DecisionResult(DecisionResultKind.NotFound, null);
            }

            var (kind, changed) = ApprovalTransitions.Decide(current, prepared, grantExpiresAt);
            if (changed is null)
            {
                return new DecisionResult(kind, current);
            }

            using (var update = connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = "UPDATE approval_requests SET status = $status, grant_expires_at = $grant WHERE id = $id AND status = 0";
                update.Parameters.AddWithValue("$status", (int)changed.Status);
                update.Parameters.AddWithValue("$grant", changed.GrantExpiresAt is { } grant ? SqliteText.FormatTime(grant) : DBNull.Value);
                update.Parameters.AddWithValue("$id", id);
                if (update.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException($"Approval request '{id}' changed under the write lock.");
                }
            }

            if (kind == DecisionResultKind.Recorded)
            {
                ApprovalRows.InsertDecision(connection, transaction, id, changed.Decisions.Count - 1, changed.Decisions[^1]);
            }

            transaction.Commit();
            return new DecisionResult(kind, changed);
        });

        if (result.Request is { } request)
        {
            _waiters.Notify(request);
        }

        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(payloadHash);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write("claim a grant", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE approval_requests SET status = 4, consumed_at = $now
                WHERE id = $id AND status = 1 AND payload_hash = $hash AND grant_expires_at > $now
                """;
            update.Parameters.AddWithValue("$now", SqliteText.FormatTime(now));
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$hash", payloadHash);
            var claimed = update.ExecuteNonQuery() == 1;
            transaction.Commit();
            return claimed;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        var expired = Write("expire an approval request", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE approval_requests SET status = 3 WHERE id = $id AND status = 0 AND expires_at <= $now";
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$now", SqliteText.FormatTime(now));
            if (update.ExecuteNonQuery() != 1)
            {
                return null;
            }

            var request = ApprovalRows.Get(connection, transaction, id);
            transaction.Commit();
            return request;
        });

        if (expired is not null)
        {
            _waiters.Notify(expired);
        }

        return ValueTask.FromResult(expired is not null);
    }

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            throw SqliteErrors.Disposed();
        }

        return _waiters.WaitAsync(id, ct => GetAsync(id, ct), cancellationToken);
    }

    internal async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _watcher.DisposeAsync().ConfigureAwait(false);
        _waiters.FailAll(SqliteErrors.Disposed());
    }

    private List<ApprovalRequest> ReadResolved(string[] ids)
    {
        var resolved = new List<ApprovalRequest>();
        foreach (var chunk in ids.Chunk(IdsPerRecheckQuery))
        {
            resolved.AddRange(Run("check waited-for approval requests", connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                return ApprovalRows.Query(
                    connection,
                    transaction,
                    "WHERE id IN (SELECT value FROM json_each($ids)) AND status <> 0",
                    p => p.AddWithValue("$ids", SqliteText.WriteList(chunk)));
            }));
        }

        return resolved;
    }

    private T Write<T>(string operation, Func<SqliteConnection, T> work)
    {
        var result = Run(operation, work);

        // A commit that landed in a file deleted meanwhile is lost to everyone else: report it as a failure.
        _pool.EnsureFilePresent();
        _checkpointer.Written(WriteSizeEstimate);
        return result;
    }

    private T Run<T>(string operation, Func<SqliteConnection, T> work)
    {
        if (_disposed)
        {
            throw SqliteErrors.Disposed();
        }

        SqliteConnectionPool.Lease? lease = null;
        try
        {
            lease = _pool.RentChecked();
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
}
