using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Countersign.Serialization;

/// <summary>
/// Writes JSON in one canonical form so that equal payloads always give equal bytes: object members sorted by
/// ordinal key, no insignificant whitespace, numbers in their shortest round-trip form, strings escaped minimally.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Returns the canonical UTF-8 bytes of <paramref name="value"/>.</summary>
    /// <param name="value">The JSON value.</param>
    /// <returns>The canonical bytes.</returns>
    public static byte[] ToUtf8Bytes(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the canonical text of <paramref name="value"/>.</summary>
    /// <param name="value">The JSON value.</param>
    /// <returns>The canonical JSON text.</returns>
    public static string ToString(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the canonical bytes of <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="value">The JSON value.</param>
    public static void Write(IBufferWriter<byte> output, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        WriteValue(writer, value);
    }

    /// <summary>Writes the canonical form of <paramref name="value"/> to an existing writer.</summary>
    /// <param name="writer">The writer; it must not be indented.</param>
    /// <param name="value">The JSON value.</param>
    public static void WriteValue(Utf8JsonWriter writer, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = new List<JsonProperty>();
                foreach (var property in value.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0 && properties[i].Name == properties[i - 1].Name)
                    {
                        throw new ArgumentException($"The JSON object has the member '{properties[i].Name}' twice.", nameof(value));
                    }

                    writer.WritePropertyName(properties[i].Name);
                    WriteValue(writer, properties[i].Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetString());
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, value);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.TryGetInt64(out var integer))
        {
            writer.WriteNumberValue(integer);
            return;
        }

        var raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            // An integer too large for long keeps its digits; a double would lose them.
            writer.WriteRawValue(raw.TrimStart('+'), skipInputValidation: true);
            return;
        }

        var number = value.GetDouble();
        if (number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            writer.WriteNumberValue((long)number);
            return;
        }

        writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
