using System.Buffers;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Cli.Policies;

/// <summary>
/// Tells whether a field of recorded (already redacted) arguments holds the redaction mask, with the redactor's own
/// path rules: masking the path again changes nothing, while the same path in a copy whose masks were replaced by
/// another marker does change, so the field exists and was masked when recorded.
/// </summary>
internal sealed class RecordedArguments(JsonElement arguments)
{
    private const string Marker = "\u0001recorded-mask";
    private readonly string _canonical = JsonRedactor.Redact(arguments, []);
    private JsonElement? _marked;
    private string? _markedCanonical;

    public bool IsMasked(string path)
    {
        if (!string.Equals(JsonRedactor.Redact(arguments, [path]), _canonical, StringComparison.Ordinal))
        {
            return false;
        }

        if (_marked is null)
        {
            _marked = ReplaceMasks(arguments);
            _markedCanonical = JsonRedactor.Redact(_marked.Value, []);
        }

        return !string.Equals(JsonRedactor.Redact(_marked.Value, [path]), _markedCanonical, StringComparison.Ordinal);
    }

    private static JsonElement ReplaceMasks(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when value.ValueEquals(JsonRedactor.Mask):
                writer.WriteStringValue(Marker);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
