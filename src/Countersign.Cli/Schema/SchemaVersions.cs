using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Countersign.Cli.Schema;

/// <summary>Reads which schema version each component of a SQLite store file is at, without opening the store.</summary>
internal static class SchemaVersions
{
    public static IReadOnlyDictionary<string, int> Read(string databasePath)
    {
        var versions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(databasePath))
        {
            return versions;
        }

        var connection = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var sqlite = new SqliteConnection(connection);
        sqlite.Open();
        using var exists = sqlite.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'";
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return versions;
        }

        using var read = sqlite.CreateCommand();
        read.CommandText = "SELECT component, MAX(version) FROM schema_versions GROUP BY component";
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            versions[reader.GetString(0)] = reader.GetInt32(1);
        }

        return versions;
    }
}
