using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Countersign.Cli.Audit;

/// <summary>How many entries a SQLite store's audit log holds, read without opening the store, for progress bars and <c>tail</c>.</summary>
internal static class AuditLogSize
{
    public static long LastSequence(string databasePath)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var sqlite = new SqliteConnection(connection);
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(sequence), 0) FROM audit_entries";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
