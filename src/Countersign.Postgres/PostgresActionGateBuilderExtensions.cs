using Countersign.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Countersign.Postgres;

/// <summary>Puts a gate's approvals, audit log, execution ledger and notification outbox in a shared PostgreSQL database.</summary>
public static class PostgresActionGateBuilderExtensions
{
    /// <summary>
    /// Opens the PostgreSQL store when the gate is built (applying pending migrations unless
    /// <see cref="PostgresStoreOptions.MigrateOnOpen"/> is turned off) and keeps everything durable there. The store uses the
    /// builder's container for its clock, logging and keys (a registered <see cref="IKeyRingProvider"/>), when there is
    /// one; the gate disposes the store when it is disposed.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">
    /// The Npgsql connection string; when <see langword="null"/>, the <c>COUNTERSIGN_POSTGRES</c> environment variable.
    /// </param>
    /// <param name="configure">Sets further store options (keys, migration at start-up, reconnect delay).</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder UsePostgres(this ActionGateBuilder builder, string? connectionString = null, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(services =>
        {
            var options = new PostgresStoreOptions
            {
                ConnectionString = connectionString,
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
                LoggerFactory = services.GetService<ILoggerFactory>(),
                Keys = services.GetService<IKeyRingProvider>(),
            };
            configure?.Invoke(options);
            return PostgresStore.Open(options);
        });
    }

    /// <summary>Uses an open <see cref="PostgresStore"/> for approvals, the audit log, the execution ledger and the payload hash key.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The open store.</param>
    /// <param name="disposeWithGate">Whether the gate disposes the store when it is disposed.</param>
    /// <returns>The builder.</returns>
    public static ActionGateBuilder UsePostgres(this ActionGateBuilder builder, PostgresStore store, bool disposeWithGate = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return builder.UseStore(_ => store, disposeWithGate);
    }
}
