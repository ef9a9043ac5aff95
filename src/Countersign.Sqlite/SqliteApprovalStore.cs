using System.Runtime.CompilerServices;
using Countersign.Approvals;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="IApprovalStore"/> of a <see cref="SqliteStore"/>. Every change is a conditional update inside a
/// <c>BEGIN IMMEDIATE</c> transaction, so processes sharing the file race safely: one decision at a time, one consumer
/// per grant. The same transaction appends the change to the <c>approval_events</c> table, the durable change feed.
/// Waiters and feed subscribers are woken at once by changes made through this instance and, for changes made by
/// other processes, by the store's change polling.
/// </summary>
public sealed class SqliteApprovalStore : IApprovalStore
{
    private const int PrimaryKeyConstraint = 1555;
    private const int IdsPerRecheckQuery = 500;
    private const int FeedBatchSize = 256;

    private const int WriteSizeEstimate = 2048;

    private readonly SqliteConnectionPool _pool;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly ApprovalWaiters _waiters;
    private readonly ApprovalWatchers _watchers;
    private readonly SqliteChangeWatcher _watcher;
    private volatile bool _disposed;
    private long _rechecks;

    internal SqliteApprovalStore(SqliteConnectionPool pool, SqliteConnectionFactory watcherConnections, SqliteCheckpointer checkpointer, SqliteStoreOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        _pool = pool;
        _checkpointer = checkpointer;
        SqliteChangeWatcher? watcher = null;
        _waiters = new ApprovalWaiters(() => watcher?.Start());
        _watchers = new ApprovalWatchers(() => watcher?.Start());
        watcher = new SqliteChangeWatcher(
            watcherConnections,
            () => _waiters.Count > 0 || _watchers.Count > 0,
            OnFileChanged,
            options.ChangePollInterval,
            options.TimeProvider,
            logger);
        _watcher = watcher;
    }

    /// <summary>Gets how many waits are registered; a cancelled wait must not stay behind.</summary>
    internal int WaiterCount => _waiters.Count;

    /// <summary>Gets how many feed subscribers are watching; an ended subscription must not stay behind.</summary>
    internal int WatcherCount => _watchers.Count;

    /// <summary>Gets how many times the change watcher read waited-for rows again.</summary>
    internal long Rechecks => Interlocked.Read(ref _rechecks);

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareNew(request);
        cancellationToken.ThrowIfCancellationRequested();
        var created = false;
        var stored = Write("create an approval request", connection =>
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

            ApprovalEventRows.Insert(connection, transaction, ApprovalEventKind.Created, prepared);
            transaction.Commit();
            created = true;
            return prepared;
        });

        if (created)
        {
            _watchers.Notify();
        }

        return ValueTask.FromResult(stored);
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
    public ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("find an approval request by action id", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalRows.Query(
                connection,
                transaction,
                "WHERE action_id = $action ORDER BY created_at, id LIMIT 1",
                p => p.AddWithValue("$action", actionId)).FirstOrDefault();
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
    public ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var (clause, bind) = ApprovalQuerySql.Build(query, now);
        return ValueTask.FromResult(Run("query approval requests", connection =>
        {
            // One read transaction: the rows and the feed position come from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            var rows = ApprovalRows.Query(connection, transaction, clause, bind);
            var feedPosition = ApprovalEventRows.ReadPosition(connection, transaction);
            var items = new List<ApprovalRequest>(Math.Min(rows.Count, query.PageSize));
            for (var i = 0; i < rows.Count && i < query.PageSize; i++)
            {
                items.Add(ApprovalTransitions.AsSeenAt(rows[i], now));
            }

            var next = rows.Count > query.PageSize ? ApprovalCursor.After(items[^1]) : null;
            return new ApprovalPage(items, next, feedPosition);
        }));
    }

    /// <inheritdoc />
    public ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalTransitions.PrepareDecision(id, decision);
        cancellationToken.ThrowIfCancellationRequested();
        var result = Write("record a decision", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = ApprovalRows.Get(connection, transaction, id);
            if (current is null)
            {
                return new ReviewResult(ReviewResultKind.NotFound, null);
            }

            var (kind, changed) = ApprovalTransitions.Decide(current, prepared, grantExpiresAt);
            if (changed is null)
            {
                return new ReviewResult(kind, current);
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

            if (kind == ReviewResultKind.Recorded)
            {
                ApprovalRows.InsertDecision(connection, transaction, id, changed.Decisions.Count - 1, changed.Decisions[^1]);
            }

            ApprovalEventRows.Insert(connection, transaction, ApprovalTransitions.ChangeKindOf(changed), changed);
            transaction.Commit();
            return new ReviewResult(kind, changed);
        });

        if (result.Request is { } request)
        {
            Changed(request);
        }

        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(payloadHash);
        cancellationToken.ThrowIfCancellationRequested();
        var consumed = Write("claim a grant", connection =>
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
            if (update.ExecuteNonQuery() != 1)
            {
                return null;
            }

            var request = ApprovalRows.Get(connection, transaction, id)!;
            ApprovalEventRows.Insert(connection, transaction, ApprovalEventKind.Consumed, request);
            transaction.Commit();
            return request;
        });

        if (consumed is not null)
        {
            Changed(consumed);
        }

        return ValueTask.FromResult(consumed is not null);
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

            var request = ApprovalRows.Get(connection, transaction, id)!;
            ApprovalEventRows.Insert(connection, transaction, ApprovalEventKind.Expired, request);
            transaction.Commit();
            return request;
        });

        if (expired is not null)
        {
            Changed(expired);
        }

        return ValueTask.FromResult(expired is not null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var expired = Write("expire due approval requests", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var due = ApprovalRows.Query(
                connection,
                transaction,
                "INDEXED BY approval_requests_pending_expiry WHERE status = 0 AND expires_at <= $now ORDER BY expires_at, id",
                p => p.AddWithValue("$now", SqliteText.FormatTime(now)));
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE approval_requests SET status = 3 WHERE id = $id AND status = 0";
            var id = update.Parameters.Add("$id", SqliteType.Text);
            var changed = new List<ApprovalRequest>(due.Count);
            foreach (var request in due)
            {
                id.Value = request.Id;
                update.ExecuteNonQuery();
                var expiredRequest = ApprovalTransitions.Expire(request);
                ApprovalEventRows.Insert(connection, transaction, ApprovalEventKind.Expired, expiredRequest);
                changed.Add(expiredRequest);
            }

            transaction.Commit();
            return changed;
        });

        foreach (var request in expired)
        {
            _waiters.Notify(request);
        }

        if (expired.Count > 0)
        {
            _watchers.Notify();
        }

        return ValueTask.FromResult<IReadOnlyList<ApprovalRequest>>(expired);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) =>
        _watchers.WatchAsync(afterPosition, ReadFeedPosition, ReadFeedAfter, cancellationToken);

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
        _watchers.FailAll(SqliteErrors.Disposed());
    }

    private void Changed(ApprovalRequest request)
    {
        _waiters.Notify(request);
        _watchers.Notify();
    }

    /// <summary>Another connection committed: wake the waiters whose requests resolved, and every feed subscriber.</summary>
    private void OnFileChanged()
    {
        var ids = _waiters.WaitedIds();
        if (ids.Length > 0)
        {
            Interlocked.Increment(ref _rechecks);
            foreach (var request in ReadResolved(ids))
            {
                _waiters.Notify(request);
            }
        }

        _watchers.Notify();
    }

    private ValueTask<long> ReadFeedPosition(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("read the change feed position", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalEventRows.ReadPosition(connection, transaction);
        }));
    }

    private ValueTask<IReadOnlyList<ApprovalEvent>> ReadFeedAfter(long position, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<ApprovalEvent>>(Run("read the change feed", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return ApprovalEventRows.ReadAfter(connection, transaction, position, FeedBatchSize);
        }));
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

        return _pool.Run(operation, work);
    }
}
