using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

/// <summary>Edits the audit tables with plain SQL, as someone holding the file could, after dropping the append-only triggers.</summary>
internal static class RawAuditSql
{
    public static void Tamper(TempDatabase database, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = database.OpenRaw();
        using var command = connection.CreateCommand();
        // IF EXISTS: a test may tamper more than once.
        command.CommandText = "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
