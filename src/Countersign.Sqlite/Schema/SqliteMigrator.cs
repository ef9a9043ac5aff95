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

        int current;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_versions WHERE component = $component";
            read.Parameters.AddWithValue("$component", component);
            current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > migrations.Count)
        {
            throw new CountersignStoreException(
                $"The database's '{component}' schema is at version {current}, newer than the {migrations.Count} this version of Countersign knows. Upgrade Countersign to open it.",
                isTransient: false);
        }

        foreach (var migration in migrations.Skip(current))
        {
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
}
