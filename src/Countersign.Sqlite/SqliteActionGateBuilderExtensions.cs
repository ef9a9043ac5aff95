using Countersign.Approvals;

namespace Countersign.Sqlite;

/// <summary>Puts a gate's approvals and audit log in an embedded SQLite file.</summary>
public static class SqliteActionGateBuilderExtensions
{
    /// <summary>
    /// Opens (or creates) the SQLite file at <paramref name="databasePath"/> and uses it for approvals, the audit log and
    /// the payload hash key. The gate disposes the store when it is disposed.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file, for example <c>countersign.db</c>.</param>
    /// <param name="configure">Sets further store options (keys, durability, polling interval).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="CountersignStoreException">The file cannot be opened, created or migrated.</exception>
    public static ActionGateBuilder UseSqlite(this ActionGateBuilder builder, string databasePath, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var options = new SqliteStoreOptions { DatabasePath = databasePath };
        configure?.Invoke(options);
        return builder.UseSqlite(SqliteStore.Open(options), disposeWithGate: true);
    }

    /// <summary>Uses an open <see cref="SqliteStore"/> for approvals, the audit log and the payload hash key.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The open store.</param>
    /// <param name="disposeWithGate">Whether the gate disposes the store when it is disposed.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder UseSqlite(this ActionGateBuilder builder, SqliteStore store, bool disposeWithGate = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.UseApprovalStore(store.Approvals).UseAuditLog(store.AuditLog).UsePayloadHasher(store.PayloadHasher);
        return disposeWithGate ? builder.DisposeWithGate(store) : builder;
    }
}
