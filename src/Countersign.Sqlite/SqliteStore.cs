using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Governance;
using Countersign.Keys;
using Countersign.Notifications;
using Countersign.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Sqlite;

/// <summary>
/// Countersign's embedded default store: approvals and the hash-chained audit log in one SQLite file (WAL journal,
/// versioned schema applied at open). Several processes may open the same file; they race safely for decisions and
/// grants and extend a single audit chain. Disposing flushes queued audit entries, then closes the file. Opened with
/// <see cref="SqliteStoreOptions.ReadOnly"/>, it verifies and reads an existing file without changing it.
/// </summary>
public sealed class SqliteStore : IGovernedStore, IAsyncDisposable
{
    private readonly SqliteConnectionPool _pool;
    private readonly SqliteCheckpointer _checkpointer;
    private int _disposed;

    private SqliteStore(string databasePath, string? keyFilePath, KeyRing keys, AuditKeyRing auditKeys, SqliteConnectionPool pool, SqliteCheckpointer checkpointer, SqliteApprovalStore approvals, SqliteAuditLog auditLog, SqliteExecutionLedger executions, SqliteNotificationOutbox notifications, SqliteGovernanceStore governance)
    {
        Governance = governance;
        Executions = executions;
        Notifications = notifications;
        _checkpointer = checkpointer;
        DatabasePath = databasePath;
        KeyFilePath = keyFilePath;
        Keys = keys;
        PayloadHasher = new PayloadHasher(keys.PayloadHash);
        AuditKeys = auditKeys;
        _pool = pool;
        Approvals = approvals;
        AuditLog = auditLog;
    }

    /// <summary>Gets the database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the path of the generated key file in use, or <see langword="null"/> when <see cref="SqliteStoreOptions.Keys"/> was set.</summary>
    public string? KeyFilePath { get; }

    /// <summary>Gets the keys the store hashes payloads and links the audit chain with.</summary>
    public KeyRing Keys { get; }

    /// <summary>Gets the payload hasher keyed with the store's payload hash key; hashes stay equal across restarts.</summary>
    public PayloadHasher PayloadHasher { get; }

    /// <summary>Gets the audit chain keys the log links and verifies with: the audit chain's view of <see cref="Keys"/>.</summary>
    public AuditKeyRing AuditKeys { get; }

    /// <summary>Gets the WAL checkpointer.</summary>
    internal SqliteCheckpointer Checkpointer => _checkpointer;

    /// <summary>Gets the approval store.</summary>
    public SqliteApprovalStore Approvals { get; }

    /// <summary>Gets the audit log.</summary>
    public SqliteAuditLog AuditLog { get; }

    /// <summary>Gets the ledger holding each idempotency key's one execution.</summary>
    public SqliteExecutionLedger Executions { get; }

    /// <summary>Gets the ledger of channel notifications, shared by every process on the file.</summary>
    public SqliteNotificationOutbox Notifications { get; }

    /// <summary>Gets the governance state (halts, budgets, presence), shared by every process on the file.</summary>
    public SqliteGovernanceStore Governance { get; }

    IGovernanceStore IGovernedStore.Governance => Governance;

    IApprovalStore ICountersignStore.Approvals => Approvals;

    IAuditLog ICountersignStore.AuditLog => AuditLog;

    IExecutionLedger ICountersignStore.Executions => Executions;

    INotificationOutbox ICountersignStore.Notifications => Notifications;

    /// <summary>
    /// Opens (creating when missing) the database file, applies pending schema migrations and starts the audit writer.
    /// The keys come from <see cref="SqliteStoreOptions.Keys"/>, whose provider this call waits for (prefer
    /// <see cref="OpenAsync"/> with a provider that does I/O); without one they are read from, or generated into,
    /// <c>&lt;database&gt;.keys</c>. With <see cref="SqliteStoreOptions.ReadOnly"/> it opens an existing file as it is, for
    /// verification: it creates, migrates and generates nothing.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The key ring provider returned no ring.</exception>
    /// <exception cref="CountersignStoreException">
    /// The file or its key file cannot be opened, created or migrated; for a read-only open, either is missing or the
    /// schema is not at this version's.
    /// </exception>
    /// <remarks>Whatever the key ring provider throws (a malformed configuration, an unreachable secret store) propagates as it is.</remarks>
    public static SqliteStore Open(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Open is synchronous, so it waits for the provider; OpenAsync awaits it instead.
        var keys = options.Keys is { } provider ? Checked(provider, provider.LoadAsync().AsTask().GetAwaiter().GetResult()) : null;
        return OpenWith(options, keys);
    }

    /// <summary>
    /// Opens the store; see <see cref="Open(SqliteStoreOptions)"/>. The key ring provider is awaited, then the file work,
    /// which is synchronous I/O, runs off the caller's thread.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels loading the keys, and the open before the file is opened.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The key ring provider returned no ring.</exception>
    /// <exception cref="CountersignStoreException">The file or its key file cannot be opened, created or migrated.</exception>
    public static Task<SqliteStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OpenCoreAsync(options, cancellationToken);
    }

    /// <summary>Stops change polling, commits every queued audit entry, then closes the file.</summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Approvals.DisposeAsync().ConfigureAwait(false);
        await AuditLog.DisposeAsync().ConfigureAwait(false);
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        _pool.Dispose();
    }

    private static async Task<SqliteStore> OpenCoreAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        var keys = options.Keys is { } provider ? Checked(provider, await provider.LoadAsync(cancellationToken).ConfigureAwait(false)) : null;
        return await Task.Run(() => OpenWith(options, keys), cancellationToken).ConfigureAwait(false);
    }

    // The ring is non-nullable in the contract, but a provider written without nullable checks can still return null.
    private static KeyRing Checked(IKeyRingProvider provider, KeyRing? keys) =>
        keys ?? throw new InvalidOperationException($"The key ring provider {provider.GetType().Name} returned no key ring.");

    /// <summary>Opens the store with the keys already loaded from <see cref="SqliteStoreOptions.Keys"/>, or none.</summary>
    private static SqliteStore OpenWith(SqliteStoreOptions options, KeyRing? configuredKeys)
    {
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteStore>();
        var databasePath = Path.GetFullPath(options.DatabasePath);
        try
        {
            var (schemaVersion, keys, keyFilePath) = options.ReadOnly
                ? InspectExisting(databasePath, options, configuredKeys, logger)
                : Initialize(databasePath, options, configuredKeys, logger);
            var auditKeys = new AuditKeyRing(keys.AuditChain);
            var connections = new SqliteConnectionFactory(databasePath, options.Durability, options.BusyTimeout, options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite);
            var pool = new SqliteConnectionPool(connections);
            var checkpointer = new SqliteCheckpointer(connections, logger);
            var approvals = new SqliteApprovalStore(pool, connections, checkpointer, options, logger);
            var auditLog = new SqliteAuditLog(pool, connections, checkpointer, new AuditChain(auditKeys), options.ReadOnly, logger);
            SqliteStoreLog.Opened(logger, databasePath, schemaVersion, options.Durability, keys.PayloadHash.CurrentKeyId, keys.AuditChain.CurrentKeyId);
            return new SqliteStore(databasePath, keyFilePath, keys, auditKeys, pool, checkpointer, approvals, auditLog, new SqliteExecutionLedger(pool), new SqliteNotificationOutbox(pool), new SqliteGovernanceStore(pool, options.TimeProvider, options.ChangePollInterval));
        }
        catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception))
        {
            throw SqliteErrors.Wrap($"open '{databasePath}'", exception);
        }
    }

    private static (int SchemaVersion, KeyRing Keys, string? KeyFilePath) Initialize(string databasePath, SqliteStoreOptions options, KeyRing? configuredKeys, ILogger logger)
    {
        var directory = Path.GetDirectoryName(databasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var factory = new SqliteConnectionFactory(databasePath, options.Durability, options.BusyTimeout, SqliteOpenMode.ReadWriteCreate);
        using var connection = factory.Open();
        using (var command = connection.CreateCommand())
        {
            // WAL lets readers and the writer work at once; the mode is stored in the file, so setting it once suffices.
            command.CommandText = "PRAGMA journal_mode = WAL";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new CountersignStoreException($"The SQLite store needs WAL journal mode, but '{databasePath}' stays in '{mode}' mode (is it on a network file system?).", isTransient: false);
            }
        }

        var schemaVersion = SqliteMigrator.Migrate(connection, StoreSchema.Component, StoreSchema.Migrations, options.TimeProvider.GetUtcNow());
        SqliteMigrator.Migrate(connection, ExecutionSchema.Component, ExecutionSchema.Migrations, options.TimeProvider.GetUtcNow());
        SqliteMigrator.Migrate(connection, NotificationSchema.Component, NotificationSchema.Migrations, options.TimeProvider.GetUtcNow());
        SqliteMigrator.Migrate(connection, GovernanceSchema.Component, GovernanceSchema.Migrations, options.TimeProvider.GetUtcNow());
        var (keys, keyFilePath) = ResolveKeys(configuredKeys, databasePath, path => SqliteKeyFile.LoadOrCreate(path, connection), logger);
        return (schemaVersion, keys, keyFilePath);
    }

    private static (int SchemaVersion, KeyRing Keys, string? KeyFilePath) InspectExisting(string databasePath, SqliteStoreOptions options, KeyRing? configuredKeys, ILogger logger)
    {
        // Said plainly, rather than as SQLite's "unable to open database file".
        if (!File.Exists(databasePath))
        {
            throw new CountersignStoreException($"The SQLite store '{databasePath}' does not exist, and a read-only open creates nothing.", isTransient: false);
        }

        var factory = new SqliteConnectionFactory(databasePath, options.Durability, options.BusyTimeout, SqliteOpenMode.ReadOnly);
        using var connection = factory.Open();
        var schemaVersion = SqliteMigrator.CheckVersion(connection, StoreSchema.Component, StoreSchema.Migrations.Count);
        SqliteMigrator.CheckVersion(connection, ExecutionSchema.Component, ExecutionSchema.Migrations.Count);
        SqliteMigrator.CheckVersion(connection, NotificationSchema.Component, NotificationSchema.Migrations.Count);
        SqliteMigrator.CheckVersion(connection, GovernanceSchema.Component, GovernanceSchema.Migrations.Count);
        var (keys, keyFilePath) = ResolveKeys(configuredKeys, databasePath, SqliteKeyFile.Load, logger);
        return (schemaVersion, keys, keyFilePath);
    }

    private static (KeyRing Keys, string? KeyFilePath) ResolveKeys(KeyRing? configuredKeys, string databasePath, Func<string, KeyRing> readKeyFile, ILogger logger)
    {
        if (configuredKeys is not null)
        {
            return (configuredKeys, null);
        }

        var keyFilePath = SqliteKeyFile.PathFor(databasePath);
        var keys = readKeyFile(keyFilePath);
        SqliteStoreLog.UsingGeneratedKeys(logger, keyFilePath);
        return (keys, keyFilePath);
    }
}
