using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Keys;
using Countersign.Notifications;
using Countersign.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// Countersign's store for many hosts: approvals, the hash-chained audit log, the execution ledger and the notification
/// outbox in one PostgreSQL database that every agent host and server instance shares. Decisions and grants are raced
/// for safely across hosts, audit appends from every host extend one chain, and a decision made anywhere wakes the
/// gates waiting for it everywhere (LISTEN/NOTIFY). While the database is unreachable every operation fails with a
/// transient <see cref="CountersignStoreException"/> (so enforcement denies) and the store recovers by itself when it
/// returns. Disposing commits queued audit entries, then closes the connections.
/// </summary>
public sealed class PostgresStore : ICountersignStore, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private int _disposed;

    private PostgresStore(PostgresDatabase database, int schemaVersion, KeyRing keys, bool keysGenerated, PostgresApprovalStore approvals, PostgresAuditLog auditLog)
    {
        _database = database;
        SchemaVersion = schemaVersion;
        Keys = keys;
        KeysGenerated = keysGenerated;
        PayloadHasher = new PayloadHasher(keys.PayloadHash);
        AuditKeys = new AuditKeyRing(keys.AuditChain);
        Approvals = approvals;
        AuditLog = auditLog;
        Executions = new PostgresExecutionLedger(database);
        Notifications = new PostgresNotificationOutbox(database);
    }

    /// <summary>Gets the schema version of the database, which is this version of Countersign's.</summary>
    public int SchemaVersion { get; }

    /// <summary>Gets the keys the store hashes payloads and links the audit chain with.</summary>
    public KeyRing Keys { get; }

    /// <summary>Gets whether <see cref="Keys"/> are the database's generated ones, because none were configured.</summary>
    public bool KeysGenerated { get; }

    /// <summary>Gets the payload hasher keyed with the store's payload hash key; hashes are equal on every host.</summary>
    public PayloadHasher PayloadHasher { get; }

    /// <summary>Gets the audit chain keys the log links and verifies with.</summary>
    public AuditKeyRing AuditKeys { get; }

    /// <summary>Gets the approval store.</summary>
    public PostgresApprovalStore Approvals { get; }

    /// <summary>Gets the audit log.</summary>
    public PostgresAuditLog AuditLog { get; }

    /// <summary>Gets the ledger holding each idempotency key's one execution.</summary>
    public PostgresExecutionLedger Executions { get; }

    /// <summary>Gets the ledger of channel notifications, shared by every host on the database.</summary>
    public PostgresNotificationOutbox Notifications { get; }

    IApprovalStore ICountersignStore.Approvals => Approvals;

    IAuditLog ICountersignStore.AuditLog => AuditLog;

    IExecutionLedger ICountersignStore.Executions => Executions;

    INotificationOutbox ICountersignStore.Notifications => Notifications;

    /// <summary>
    /// Connects, applies pending migrations (unless <see cref="PostgresStoreOptions.MigrateOnOpen"/> is off, when the
    /// schema must already be current), loads the keys and starts the audit writer.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The key ring provider returned no ring.</exception>
    /// <exception cref="CountersignStoreException">
    /// The database cannot be reached or migrated, its schema is newer than this version of Countersign (or older, with
    /// migration off), or its generated keys cannot be read.
    /// </exception>
    public static async Task<PostgresStore> OpenAsync(PostgresStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<PostgresStore>();
        KeyRing? configuredKeys = null;
        if (options.Keys is { } provider)
        {
            configuredKeys = await provider.LoadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The key ring provider {provider.GetType().Name} returned no key ring.");
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseLoggerFactory(options.LoggerFactory);
        var database = new PostgresDatabase(builder.Build());
        try
        {
            int schemaVersion;
            if (options.MigrateOnOpen)
            {
                schemaVersion = (await PostgresStoreMigrator.MigrateAsync(database.DataSource, new PostgresMigrationOptions { LoggerFactory = options.LoggerFactory }, cancellationToken).ConfigureAwait(false)).CurrentVersion;
            }
            else
            {
                schemaVersion = await database.RunAsync("read the schema version", connection => PostgresStoreMigrator.CheckVersionAsync(connection, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            var keys = configuredKeys ?? await PostgresKeyTable.LoadOrCreateAsync(database, cancellationToken).ConfigureAwait(false);
            if (configuredKeys is null)
            {
                PostgresStoreLog.UsingGeneratedKeys(logger);
            }

            var approvals = new PostgresApprovalStore(database, connectionString, options, logger);
            var auditLog = new PostgresAuditLog(database, new AuditChain(new AuditKeyRing(keys.AuditChain)), logger);
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            PostgresStoreLog.Opened(logger, settings.Host, settings.Database, schemaVersion, keys.PayloadHash.CurrentKeyId, keys.AuditChain.CurrentKeyId);
            return new PostgresStore(database, schemaVersion, keys, configuredKeys is null, approvals, auditLog);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens the store synchronously, for callers that cannot await (a gate builder's store factory); see
    /// <see cref="OpenAsync"/>, which is preferable wherever possible.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CountersignStoreException">The database cannot be reached, migrated or read.</exception>
    public static PostgresStore Open(PostgresStoreOptions options) =>
        Task.Run(() => OpenAsync(options)).GetAwaiter().GetResult();

    /// <summary>Stops listening, commits every queued audit entry, then closes the connections.</summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Approvals.DisposeAsync().ConfigureAwait(false);
        await AuditLog.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
