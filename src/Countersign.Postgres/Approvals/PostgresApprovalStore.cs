using System.Data;
using System.Runtime.CompilerServices;
using Countersign.Approvals;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// The <see cref="IApprovalStore"/> of a <see cref="PostgresStore"/>. Every change is a transaction that first takes
/// one advisory lock, so changes from every host apply one at a time and the change feed's positions follow commit
/// order; a grant is claimed by a conditional <c>UPDATE</c>, so of all hosts exactly one consumer wins. Each change
/// appends to <c>approval_events</c> in its transaction, and a trigger announces it with <c>NOTIFY</c> on commit:
/// waiters and feed subscribers on other hosts wake through the store's <c>LISTEN</c> connection, those on this
/// instance at once.
/// </summary>
#pragma warning disable CA1001 // The owning PostgresStore disposes it (DisposeAsync below), as it does the audit log.
public sealed class PostgresApprovalStore : IApprovalStore
#pragma warning restore CA1001
{
    private const int FeedBatchSize = 256;
    private const int IdsPerRecheckQuery = 1000;
    private const string CreatedOrder = "r.created_at, r.id";

    private readonly PostgresDatabase _database;
    private readonly ApprovalWaiters _waiters;
    private readonly ApprovalWatchers _watchers;
    private readonly PostgresChangeListener _listener;
    private volatile bool _disposed;
    private long _rechecks;

    internal PostgresApprovalStore(PostgresDatabase database, string connectionString, PostgresStoreOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        _database = database;
        _listener = new PostgresChangeListener(connectionString, OnChangedAsync, options.ReconnectDelay, options.TimeProvider, logger);
        _waiters = new ApprovalWaiters(_listener.Start);
        _watchers = new ApprovalWatchers(_listener.Start);
    }

    /// <summary>Gets how many waits are registered; a cancelled wait must not stay behind.</summary>
    internal int WaiterCount => _waiters.Count;

    /// <summary>Gets how many feed subscribers are watching; an ended subscription must not stay behind.</summary>
    internal int WatcherCount => _watchers.Count;

    /// <summary>Gets how many times the listener read waited-for rows again.</summary>
    internal long Rechecks => Interlocked.Read(ref _rechecks);

    /// <summary>Gets the change listener, for tests that cut its connection.</summary>
    internal PostgresChangeListener Listener => _listener;

    /// <inheritdoc />
    public async ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalRows.Stored(ApprovalTransitions.PrepareNew(request));
        cancellationToken.ThrowIfCancellationRequested();
        var (stored, created) = await WriteAsync("create an approval request", async (connection, transaction) =>
        {
            if (prepared.IdempotencyKey is { } key)
            {
                var existing = await ApprovalRows.QueryAsync(connection, transaction, "r.idempotency_key = @key", CreatedOrder, 1, p => p.AddWithValue("key", key), CancellationToken.None).ConfigureAwait(false);
                if (existing.Count > 0)
                {
                    return (existing[0], false);
                }
            }

            try
            {
                await ApprovalRows.InsertAsync(connection, transaction, prepared, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrors.UniqueViolation)
            {
                throw new InvalidOperationException($"An approval request with the id '{prepared.Id}' already exists.", exception);
            }

            await ApprovalEventRows.InsertAsync(connection, transaction, ApprovalEventKind.Created, prepared, CancellationToken.None).ConfigureAwait(false);
            return (prepared, true);
        }).ConfigureAwait(false);

        if (created)
        {
            _watchers.Notify();
        }

        return stored;
    }

    /// <inheritdoc />
    public async ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return await ReadAsync("read an approval request", connection => ApprovalRows.GetAsync(connection, null, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var found = await ReadAsync(
            "find an approval request",
            connection => ApprovalRows.QueryAsync(connection, null, "r.idempotency_key = @key", CreatedOrder, 1, p => p.AddWithValue("key", idempotencyKey), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault();
    }

    /// <inheritdoc />
    public async ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actionId);
        var found = await ReadAsync(
            "find an approval request by action id",
            connection => ApprovalRows.QueryAsync(connection, null, "r.action_id = @action", CreatedOrder, 1, p => p.AddWithValue("action", actionId), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ApprovalRequest> ListPendingAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Read in one statement, then hand out: a slow consumer must not hold a connection.
        var pending = await ReadAsync(
            "list pending approval requests",
            connection => ApprovalRows.QueryAsync(connection, null, "r.status = 0", "r.created_at, r.inserted", null, static _ => { }, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        foreach (var request in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return request;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var (where, order, bind) = ApprovalQuerySql.Build(query, now);

        // One snapshot: the rows and the feed position are read as of the same moment.
        return await _database.InTransactionAsync(
            "query approval requests",
            advisoryLock: null,
            async (connection, transaction) =>
            {
                var rows = await ApprovalRows.QueryAsync(connection, transaction, where, order, query.PageSize + 1, bind, cancellationToken).ConfigureAwait(false);
                var feedPosition = await ApprovalEventRows.ReadPositionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var items = new List<ApprovalRequest>(Math.Min(rows.Count, query.PageSize));
                for (var i = 0; i < rows.Count && i < query.PageSize; i++)
                {
                    items.Add(ApprovalTransitions.AsSeenAt(rows[i], now));
                }

                var next = rows.Count > query.PageSize ? ApprovalCursor.After(items[^1]) : null;
                return new ApprovalPage(items, next, feedPosition);
            },
            cancellationToken,
            IsolationLevel.RepeatableRead).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
    {
        var prepared = ApprovalRows.Stored(ApprovalTransitions.PrepareDecision(id, decision));
        var grantExpiry = PostgresTime.Stored(grantExpiresAt);
        cancellationToken.ThrowIfCancellationRequested();
        var result = await WriteAsync("record a decision", async (connection, transaction) =>
        {
            var current = await ApprovalRows.GetAsync(connection, transaction, id, CancellationToken.None, forUpdate: true).ConfigureAwait(false);
            if (current is null)
            {
                return new ReviewResult(ReviewResultKind.NotFound, null);
            }

            var (kind, changed) = ApprovalTransitions.Decide(current, prepared, grantExpiry);
            if (changed is null)
            {
                return new ReviewResult(kind, current);
            }

            using (var update = new NpgsqlCommand("UPDATE approval_requests SET status = @status, grant_expires_at = @grant WHERE id = @id AND status = 0", connection, transaction))
            {
                update.Parameters.AddWithValue("status", (short)changed.Status);
                update.Parameters.AddWithValue("grant", NpgsqlTypes.NpgsqlDbType.TimestampTz, PostgresTime.Parameter(changed.GrantExpiresAt));
                update.Parameters.AddWithValue("id", id);
                if (await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) != 1)
                {
                    throw new InvalidOperationException($"Approval request '{id}' changed under its row lock.");
                }
            }

            if (kind == ReviewResultKind.Recorded)
            {
                await ApprovalRows.InsertDecisionAsync(connection, transaction, id, changed.Decisions.Count - 1, changed.Decisions[^1], CancellationToken.None).ConfigureAwait(false);
            }

            await ApprovalEventRows.InsertAsync(connection, transaction, ApprovalTransitions.ChangeKindOf(changed), changed, CancellationToken.None).ConfigureAwait(false);
            return new ReviewResult(kind, changed);
        }).ConfigureAwait(false);

        if (result.Request is { } request)
        {
            Changed(request);
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(payloadHash);
        cancellationToken.ThrowIfCancellationRequested();
        var consumed = await WriteAsync("claim a grant", async (connection, transaction) =>
        {
            // The claim is the conditional update: whichever host runs it first wins, every other matches no row.
            using (var update = new NpgsqlCommand(
                """
                UPDATE approval_requests SET status = 4, consumed_at = @now
                WHERE id = @id AND status = 1 AND payload_hash = @hash AND grant_expires_at > @now
                """,
                connection,
                transaction))
            {
                update.Parameters.AddWithValue("now", PostgresTime.Stored(now));
                update.Parameters.AddWithValue("id", id);
                update.Parameters.AddWithValue("hash", payloadHash);
                if (await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) != 1)
                {
                    return null;
                }
            }

            var request = (await ApprovalRows.GetAsync(connection, transaction, id, CancellationToken.None).ConfigureAwait(false))!;
            await ApprovalEventRows.InsertAsync(connection, transaction, ApprovalEventKind.Consumed, request, CancellationToken.None).ConfigureAwait(false);
            return request;
        }).ConfigureAwait(false);

        if (consumed is not null)
        {
            Changed(consumed);
        }

        return consumed is not null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        var expired = await ExpireWhereAsync("expire an approval request", "r.id = @id AND r.expires_at <= @now", p => p.AddWithValue("id", id), now).ConfigureAwait(false);
        return expired.Count == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await ExpireWhereAsync("expire due approval requests", "r.expires_at <= @now", static _ => { }, now).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) =>
        _watchers.WatchAsync(afterPosition, ReadFeedPositionAsync, ReadFeedAfterAsync, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            throw PostgresErrors.Disposed();
        }

        return _waiters.WaitAsync(id, ct => GetAsync(id, ct), cancellationToken);
    }

    internal async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _listener.DisposeAsync().ConfigureAwait(false);
        _waiters.FailAll(PostgresErrors.Disposed());
        _watchers.FailAll(PostgresErrors.Disposed());
    }

    /// <summary>Expires the pending requests <paramref name="condition"/> selects, earliest expiry first, with one feed event each.</summary>
    private async Task<IReadOnlyList<ApprovalRequest>> ExpireWhereAsync(string operation, string condition, Action<NpgsqlParameterCollection> bind, DateTimeOffset now)
    {
        var expired = await WriteAsync(operation, async (connection, transaction) =>
        {
            var due = await ApprovalRows.QueryAsync(
                connection,
                transaction,
                "r.status = 0 AND " + condition,
                "r.expires_at, r.id",
                null,
                p =>
                {
                    p.AddWithValue("now", PostgresTime.Stored(now));
                    bind(p);
                },
                CancellationToken.None,
                forUpdate: true).ConfigureAwait(false);
            if (due.Count == 0)
            {
                return [];
            }

            using (var update = new NpgsqlCommand("UPDATE approval_requests SET status = 3 WHERE id = ANY(@ids) AND status = 0", connection, transaction))
            {
                update.Parameters.AddWithValue("ids", due.Select(static r => r.Id).ToArray());
                await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var changed = due.Select(ApprovalTransitions.Expire).ToList();
            await ApprovalEventRows.InsertAsync(connection, transaction, [.. changed.Select(static r => (ApprovalEventKind.Expired, r))], CancellationToken.None).ConfigureAwait(false);
            return changed;
        }).ConfigureAwait(false);

        foreach (var request in expired)
        {
            _waiters.Notify(request);
        }

        if (expired.Count > 0)
        {
            _watchers.Notify();
        }

        return expired;
    }

    private void Changed(ApprovalRequest request)
    {
        _waiters.Notify(request);
        _watchers.Notify();
    }

    /// <summary>Another host committed changes (or, with <see langword="null"/>, may have): wake whoever they resolve, and every feed subscriber.</summary>
    private async Task OnChangedAsync(IReadOnlySet<string>? announced, CancellationToken cancellationToken)
    {
        var waited = _waiters.WaitedIds();
        var ids = announced is null ? waited : waited.Where(announced.Contains).ToArray();
        if (ids.Length > 0)
        {
            Interlocked.Increment(ref _rechecks);
            foreach (var chunk in ids.Chunk(IdsPerRecheckQuery))
            {
                var resolved = await ReadAsync(
                    "check waited-for approval requests",
                    connection => ApprovalRows.GetManyAsync(connection, null, chunk, "r.status <> 0", cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                foreach (var request in resolved)
                {
                    _waiters.Notify(request);
                }
            }
        }

        _watchers.Notify();
    }

    /// <summary>
    /// Reads the feed position synchronously: a subscription "from now" must have its starting point fixed before its
    /// first <c>MoveNextAsync</c> returns, or a change the caller commits right after subscribing could fall before it.
    /// </summary>
    private ValueTask<long> ReadFeedPositionAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Run("read the change feed position", ApprovalEventRows.ReadPosition));
    }

    private async ValueTask<IReadOnlyList<ApprovalEvent>> ReadFeedAfterAsync(long position, CancellationToken cancellationToken) =>
        await _database.InTransactionAsync(
            "read the change feed",
            advisoryLock: null,
            (connection, transaction) => ApprovalEventRows.ReadAfterAsync(connection, transaction, position, FeedBatchSize, cancellationToken),
            cancellationToken,
            IsolationLevel.RepeatableRead).ConfigureAwait(false);

    /// <summary>
    /// Runs a change under the feed lock. Cancellation is checked before, never during: a change whose commit was
    /// sent is not abandoned half way.
    /// </summary>
    private Task<T> WriteAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        ThrowIfDisposed();
        return _database.InTransactionAsync(operation, PostgresLocks.ApprovalFeed, work, CancellationToken.None);
    }

    private Task<T> ReadAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return _database.RunAsync(operation, work, cancellationToken);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw PostgresErrors.Disposed();
        }
    }
}
