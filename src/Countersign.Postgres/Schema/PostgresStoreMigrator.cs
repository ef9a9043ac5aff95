using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>
/// Brings a PostgreSQL database's Countersign schema up to date: the versioned steps newer than the database's
/// <c>countersign_schema_version</c>, all in one transaction, under an advisory lock so hosts starting together apply
/// each step once. Running it again changes nothing. A database migrated by a newer version of Countersign is refused.
/// <c>countersign migrate --postgres CONN</c> calls it; <see cref="PostgresStoreOptions.MigrateOnOpen"/> calls it at start-up.
/// </summary>
public static class PostgresStoreMigrator
{
    private const string VersionTable = "countersign_schema_version";

    /// <summary>Gets the schema version this version of Countersign writes and reads.</summary>
    public static int LatestVersion => PostgresSchema.Migrations.Count;

    /// <summary>Applies every pending migration.</summary>
    /// <param name="connectionString">A connection string for a role that may create tables in the target schema.</param>
    /// <param name="options">The application role to grant to, and logging.</param>
    /// <param name="cancellationToken">Cancels the migration; a step half applied is rolled back.</param>
    /// <returns>The versions before and after.</returns>
    /// <exception cref="CountersignStoreException">The database cannot be reached, a step failed, or the schema is newer than this version knows.</exception>
    public static async Task<PostgresMigrationResult> MigrateAsync(string connectionString, PostgresMigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var dataSourceLifetime = dataSource.ConfigureAwait(false);
        return await MigrateAsync(dataSource, options ?? new PostgresMigrationOptions(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the database's schema version without changing anything.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, 0 when the database has no Countersign schema.</returns>
    /// <exception cref="CountersignStoreException">The database cannot be reached.</exception>
    public static async Task<int> GetVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            var connection = new NpgsqlConnection(connectionString);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
        {
            throw PostgresErrors.Wrap("read the schema version", exception);
        }
    }

    internal static async Task<PostgresMigrationResult> MigrateAsync(NpgsqlDataSource dataSource, PostgresMigrationOptions options, CancellationToken cancellationToken)
    {
        var role = options.ApplicationRole;
        if (role is not null && !IsPlainRoleName(role))
        {
            throw new ArgumentException("ApplicationRole must be a role name of 1 to 63 ASCII letters, digits, '_' or '-', starting with a letter or '_'.", nameof(options));
        }

        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(PostgresStoreMigrator));
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);

            // Most opens find the schema current: say so without taking the lock or touching the schema, which the
            // application's role may not be allowed to.
            var seen = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            EnsureNotNewer(seen);
            if (seen == LatestVersion && role is null)
            {
                return new PostgresMigrationResult(seen, seen);
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            await using var transactionLifetime = transaction.ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLocks.Migration})", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                transaction,
                $"""
                CREATE TABLE IF NOT EXISTS {VersionTable} (
                    version     integer NOT NULL PRIMARY KEY,
                    description text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """,
                cancellationToken).ConfigureAwait(false);
            var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            EnsureNotNewer(current);
            foreach (var migration in PostgresSchema.Migrations.Skip(current))
            {
                foreach (var statement in migration.Statements)
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }

                using var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (version, description) VALUES (@version, @description)", connection, transaction);
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("description", migration.Description);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (role is not null)
            {
                foreach (var statement in GrantStatements(role))
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (current != LatestVersion)
            {
                PostgresStoreLog.Migrated(logger, current, LatestVersion);
            }

            return new PostgresMigrationResult(current, LatestVersion);
        }
        catch (Exception exception) when (PostgresErrors.IsStoreFailure(exception))
        {
            throw PostgresErrors.Wrap("migrate its schema", exception);
        }
    }

    /// <summary>Checks, without writing anything, that the schema is at <see cref="LatestVersion"/>.</summary>
    /// <returns>The version.</returns>
    /// <exception cref="CountersignStoreException">The schema is older (it needs migrating) or newer.</exception>
    internal static async Task<int> CheckVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var current = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        EnsureNotNewer(current);
        if (current < LatestVersion)
        {
            throw new CountersignStoreException(
                $"The PostgreSQL database's Countersign schema is at version {current}, older than the {LatestVersion} this version of Countersign needs, and MigrateOnOpen is off. Run 'countersign migrate --postgres <connection string>' (as a role that may change the schema), then start again.",
                isTransient: false);
        }

        return current;
    }

    /// <summary>The grants for the application role, in the current schema; every one of them is idempotent.</summary>
    internal static IEnumerable<string> GrantStatements(string role)
    {
        var grantee = QuoteIdentifier(role);
        yield return $"""
            DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', current_schema(), {QuoteLiteral(grantee)}); END $$
            """;
        yield return $"GRANT SELECT ON {VersionTable} TO {grantee}";
        yield return $"GRANT SELECT, INSERT, UPDATE, DELETE ON {string.Join(", ", PostgresSchema.ReadWriteTables)} TO {grantee}";
        yield return $"GRANT SELECT, INSERT ON audit_entries, countersign_keys TO {grantee}";
        yield return $"REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM {grantee}";
        yield return $"GRANT SELECT, UPDATE ON audit_chain_head TO {grantee}";
        yield return $"GRANT SELECT ON audit_log TO {grantee}";
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var exists = new NpgsqlCommand($"SELECT to_regclass('{VersionTable}') IS NOT NULL", connection, transaction);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable}", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static void EnsureNotNewer(int current)
    {
        if (current > LatestVersion)
        {
            throw new CountersignStoreException(
                $"The PostgreSQL database's Countersign schema is at version {current}, newer than the {LatestVersion} this version of Countersign knows. Upgrade Countersign on this host to use it; the database was left unchanged.",
                isTransient: false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsPlainRoleName(string name) =>
        name.Length is > 0 and <= 63
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
