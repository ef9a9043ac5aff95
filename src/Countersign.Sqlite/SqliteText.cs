using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Countersign.Sqlite;

/// <summary>How values are written to and read from columns.</summary>
internal static class SqliteText
{
    private const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    /// <summary>
    /// Formats a time as fixed-width UTC text: readable in the sqlite3 shell, exact to the tick, and ordered the same
    /// way as the times it stands for, so SQL can compare it.
    /// </summary>
    public static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses text written by <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));

    /// <summary>Writes a list of strings as a JSON array.</summary>
    public static string WriteList(IReadOnlyList<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a JSON array of strings.</summary>
    public static string[] ReadList(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new string[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            values[i++] = item.GetString() ?? throw new FormatException("A stored list holds a null.");
        }

        return values;
    }
}
