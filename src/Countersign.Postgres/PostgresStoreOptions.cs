using Countersign.Keys;
using Microsoft.Extensions.Logging;

namespace Countersign.Postgres;

/// <summary>What <see cref="PostgresStore.OpenAsync"/> needs: the database and, for production, the keys.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The environment variable read when <see cref="ConnectionString"/> is not set: <c>COUNTERSIGN_POSTGRES</c>.</summary>
    public const string ConnectionStringVariable = "COUNTERSIGN_POSTGRES";

    /// <summary>The default <see cref="ReconnectDelay"/>: 250 milliseconds.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets the Npgsql connection string, for example
    /// <c>Host=db;Database=countersign;Username=countersign_app;Password=...</c>. When <see langword="null"/> or empty, the
    /// <c>COUNTERSIGN_POSTGRES</c> environment variable is read. Put the store in its own schema with
    /// <c>Search Path=countersign</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets whether opening the store applies pending schema migrations (<see cref="PostgresStoreMigrator"/>).
    /// Leave it on where the application's role owns the schema; turn it off where migrations run separately
    /// (<c>countersign migrate --postgres</c>) under an administrative role and the application's role may not change the
    /// schema. Either way, a database whose schema is newer than this version of Countersign is refused.
    /// </summary>
    public bool MigrateOnOpen { get; set; } = true;

    /// <summary>
    /// Gets or sets where the payload hash and audit chain keys come from (<see cref="ConfigurationKeyRingProvider"/>, a
    /// secret store, ...). Every host sharing the database needs the same keys. When <see langword="null"/>, keys are
    /// generated once into the database's <c>countersign_keys</c> table and read from there by every host: convenient,
    /// but whoever can read the database then holds the audit key too.
    /// </summary>
    public IKeyRingProvider? Keys { get; set; }

    /// <summary>
    /// Gets or sets how long the change listener waits before reconnecting after its connection drops; it doubles on
    /// every failed attempt up to 16 times this.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = DefaultReconnectDelay;

    /// <summary>Gets or sets the clock that times reconnection attempts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory; nothing is logged when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Returns <see cref="ConnectionString"/>, or the <c>COUNTERSIGN_POSTGRES</c> environment variable when it is not set.</summary>
    /// <returns>The connection string, or <see langword="null"/> when neither is set.</returns>
    public string? ResolveConnectionString() =>
        string.IsNullOrWhiteSpace(ConnectionString) ? Environment.GetEnvironmentVariable(ConnectionStringVariable) : ConnectionString;

    internal string Validate()
    {
        var errors = new List<string>();
        var connectionString = ResolveConnectionString();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add($"ConnectionString is required (or set the {ConnectionStringVariable} environment variable).");
        }

        if (ReconnectDelay <= TimeSpan.Zero || ReconnectDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add("ReconnectDelay must be more than zero and at most one minute.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is required.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PostgreSQL store options: " + string.Join(" ", errors));
        }

        return connectionString!;
    }
}
