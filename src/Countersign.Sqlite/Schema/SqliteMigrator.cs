using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// Brings a component's tables up to date when the store opens. Each component (approvals and audit, sign-off
/// records, ...) has its own version line in <c>schema_versions</c>, so components evolve independently.
/// </summary>
internal static class SqliteMigrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component   TEXT NOT NULL,
            version     INTEGER NOT NULL,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL,
            PRIMARY KEY (component, version)
        );
        """;

    /// <summary>
    /// Applies the migrations of <paramref name="component"/> newer than the file's version, all in one
    /// <c>BEGIN IMMEDIATE</c> transaction so two processes opening a new file cannot both apply them.
    /// </summary>
    /// <returns>The version the file is at afterwards.</returns>
    /// <exception cref="CountersignStoreException">The file was written by a newer version of Countersign.</exception>
    public static int Migrate(SqliteConnection connection, string component, IReadOnlyList<SqliteMigration> migrations, DateTimeOffset now)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The migrations of '{component}' must be numbered 1, 2, 3, ... without gaps.");
            }
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateVersionTable;
            create.ExecuteNonQuery();
        }

        var current = ReadVersion(connection, transaction, component);
        EnsureNotNewer(component, current, migrations.Count);
        foreach (var migration in migrations.Skip(current))
        {
            if (migration.RefuseWhen is not null && current > 0)
            {
                using var check = connection.CreateCommand();
                check.Transaction = transaction;
                check.CommandText = migration.RefuseWhen;
                using var found = check.ExecuteReader();
                if (found.Read())
                {
                    throw new CountersignStoreException(migration.Refusal ?? $"The database cannot be migrated to '{component}' version {migration.Version}.", isTransient: false);
                }
            }

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = migration.Sql;
            apply.ExecuteNonQuery();

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_versions (component, version, description, applied_at) VALUES ($component, $version, $description, $at)";
            record.Parameters.AddWithValue("$component", component);
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$description", migration.Description);
            record.Parameters.AddWithValue("$at", SqliteText.FormatTime(now));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return migrations.Count;
    }

    /// <summary>
    /// Checks, without writing anything, that the file's <paramref name="component"/> schema is at
    /// <paramref name="knownVersion"/>: for opens that must leave the file as it is.
    /// </summary>
    /// <returns>The file's version.</returns>
    /// <exception cref="CountersignStoreException">The file's schema is older (it would need migrating) or newer.</exception>
    public static int CheckVersion(SqliteConnection connection, string component, int knownVersion)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        int current;
        using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'";
            current = Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0 ? 0 : ReadVersion(connection, transaction, component);
        }

        EnsureNotNewer(component, current, knownVersion);
        if (current < knownVersion)
        {
            throw new CountersignStoreException(
                $"The database's '{component}' schema is at version {current}, older than the {knownVersion} this version of Countersign reads. A read-only open does not migrate it; open it once read-write (after a backup) to migrate it.",
                isTransient: false);
        }

        return current;
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction transaction, string component)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_versions WHERE component = $component";
        read.Parameters.AddWithValue("$component", component);
        return Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void EnsureNotNewer(string component, int current, int knownVersion)
    {
        if (current > knownVersion)
        {
            throw new CountersignStoreException(
                $"The database's '{component}' schema is at version {current}, newer than the {knownVersion} this version of Countersign knows. Upgrade Countersign to open it.",
                isTransient: false);
        }
    }
}
