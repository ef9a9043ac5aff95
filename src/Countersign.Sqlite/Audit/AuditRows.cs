using System.Text;
using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>Reads audit records from rows.</summary>
internal static class AuditRows
{
    public const string SelectColumns = "SELECT sequence, entry, key_id, prev_mac, mac FROM audit_entries";

    /// <summary>Reads the record at the reader's current row.</summary>
    /// <exception cref="FormatException">The row holds a value Countersign never writes.</exception>
    public static AuditRecord Read(SqliteDataReader reader)
    {
        var sequence = reader.GetInt64(0);
        try
        {
            var entry = AuditChain.ReadEntry(Encoding.UTF8.GetBytes(reader.GetString(1)));
            return new AuditRecord(sequence, entry, reader.GetString(2), reader.GetString(3), reader.GetString(4));
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new FormatException($"Audit entry {sequence} is not valid JSON.", exception);
        }
        catch (InvalidOperationException exception)
        {
            // Utf8JsonReader reports a member of the wrong type this way.
            throw new FormatException($"Audit entry {sequence} has a member of the wrong type.", exception);
        }
    }
}
