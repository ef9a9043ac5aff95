using Countersign.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>Puts a gate's approvals, audit log and execution ledger in an embedded SQLite file.</summary>
public static class SqliteActionGateBuilderExtensions
{
    /// <summary>
    /// Opens (or creates) the SQLite file at <paramref name="databasePath"/> when the gate is built, and keeps approvals,
    /// the audit log, the execution ledger and the payload hash key there. The store uses the builder's container for
    /// its clock, logging and keys (a registered <see cref="IKeyRingProvider"/>), when there is one; the gate disposes
    /// the store when it is disposed. Works the same on a plain builder and on the one <c>services.AddCountersign()</c>
    /// returns.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file, for example <c>countersign.db</c>.</param>
    /// <param name="configure">Sets further store options (keys, durability, polling interval).</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder UseSqlite(this ActionGateBuilder builder, string databasePath, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseStore(services =>
        {
            var options = new SqliteStoreOptions
            {
                DatabasePath = databasePath,
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
                LoggerFactory = services.GetService<ILoggerFactory>(),
                Keys = services.GetService<IKeyRingProvider>(),
            };
            configure?.Invoke(options);
            return SqliteStore.Open(options);
        });
    }

    /// <summary>Uses an open <see cref="SqliteStore"/> for approvals, the audit log, the execution ledger and the payload hash key.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The open store.</param>
    /// <param name="disposeWithGate">Whether the gate disposes the store when it is disposed.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder UseSqlite(this ActionGateBuilder builder, SqliteStore store, bool disposeWithGate = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return builder.UseStore(_ => store, disposeWithGate);
    }
}
