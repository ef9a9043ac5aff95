using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Countersign.Serialization;

/// <summary>
/// Writes JSON in the canonical form of RFC 8785 (JSON Canonicalization Scheme): no whitespace, strings escaped only
/// where the RFC requires (<c>"</c>, <c>\</c> and control characters, the latter as <c>\b \t \n \f \r</c> or
/// <c>\u00xx</c> in lowercase hex), numbers as ECMAScript prints an IEEE 754 double. Members are written in the order
/// given: callers sort them by UTF-16 code units.
/// </summary>
/// <remarks>
/// <see cref="Utf8JsonWriter"/> cannot be used: its encoders escape more than the RFC allows and write uppercase hex.
/// One flag is enough for commas, because a value is always followed by a comma unless its container ends next.
/// </remarks>
/// <param name="output">Where the bytes go.</param>
/// <param name="exactNumbers">Refuse numbers a double cannot carry exactly (see <see cref="CanonicalNumber"/>).</param>
internal sealed class CanonicalJsonWriter(IBufferWriter<byte> output, bool exactNumbers = true)
{
    private static readonly SearchValues<char> NeedsEscaping = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private bool _needsComma;

    public void WriteStartObject() => WriteStart((byte)'{');

    public void WriteEndObject() => WriteEnd((byte)'}');

    public void WriteStartArray() => WriteStart((byte)'[');

    public void WriteEndArray() => WriteEnd((byte)']');

    public void WritePropertyName(string name)
    {
        WriteSeparator();
        WriteQuoted(name);
        WriteByte((byte)':');
        _needsComma = false;
    }

    public void WriteString(string value)
    {
        WriteSeparator();
        WriteQuoted(value);
        _needsComma = true;
    }

    public void WriteBoolean(bool value)
    {
        WriteSeparator();
        WriteAscii(value ? "true"u8 : "false"u8);
        _needsComma = true;
    }

    public void WriteNull()
    {
        WriteSeparator();
        WriteAscii("null"u8);
        _needsComma = true;
    }

    /// <summary>Writes a number given as JSON number text.</summary>
    /// <exception cref="ArgumentException">The number is outside a double's range, or not exact when that is required.</exception>
    public void WriteNumber(string jsonNumber)
    {
        WriteSeparator();
        Span<char> text = stackalloc char[CanonicalNumber.MaxLength];
        WriteAscii(text[..CanonicalNumber.Format(jsonNumber, text, exactNumbers)]);
        _needsComma = true;
    }

    /// <summary>Writes a value that is already canonical JSON, as it is.</summary>
    public void WriteCanonicalValue(ReadOnlySpan<byte> canonicalJson)
    {
        WriteSeparator();
        output.Write(canonicalJson);
        _needsComma = true;
    }

    /// <summary>Writes a parsed JSON value canonically: members sorted by UTF-16 code units, each name once.</summary>
    /// <exception cref="ArgumentException">An object has the same member twice, or a number is not exact as a double.</exception>
    public void WriteValue(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteStartObject();
                foreach (var property in CanonicalJson.SortedMembers(value))
                {
                    WritePropertyName(property.Name);
                    WriteValue(property.Value);
                }

                WriteEndObject();
                break;
            case JsonValueKind.Array:
                WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(item);
                }

                WriteEndArray();
                break;
            case JsonValueKind.String:
                WriteString(ReadString(value));
                break;
            case JsonValueKind.Number:
                WriteNumber(value.GetRawText());
                break;
            case JsonValueKind.True:
                WriteBoolean(true);
                break;
            case JsonValueKind.False:
                WriteBoolean(false);
                break;
            default:
                WriteNull();
                break;
        }
    }

    private static string ReadString(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json refuses a lone surrogate escape here; the RFC has no form for it either.
            throw new ArgumentException("The JSON text holds a lone UTF-16 surrogate, which has no canonical form.", ex);
        }
    }

    private void WriteStart(byte token)
    {
        WriteSeparator();
        WriteByte(token);
        _needsComma = false;
    }

    private void WriteEnd(byte token)
    {
        WriteByte(token);
        _needsComma = true;
    }

    private void WriteSeparator()
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
        }
    }

    private void WriteQuoted(string value)
    {
        WriteByte((byte)'"');
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var plain = rest.IndexOfAny(NeedsEscaping);
            var run = plain < 0 ? rest : rest[..plain];
            WriteUtf8(run);
            if (plain < 0)
            {
                break;
            }

            WriteEscape(rest[plain]);
            rest = rest[(plain + 1)..];
        }

        WriteByte((byte)'"');
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        // A lone surrogate has no UTF-8 form; the RFC requires valid Unicode, so it is refused rather than replaced.
        if (Encoding.UTF8.GetByteCount(text) is var count && System.Text.Unicode.Utf8.FromUtf16(text, output.GetSpan(count), out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new ArgumentException("The JSON text holds a lone UTF-16 surrogate, which has no canonical form.");
        }

        output.Advance(written);
    }

    private void WriteEscape(char c)
    {
        ReadOnlySpan<byte> shortForm = c switch
        {
            '"' => "\\\""u8,
            '\\' => "\\\\"u8,
            '\b' => "\\b"u8,
            '\t' => "\\t"u8,
            '\n' => "\\n"u8,
            '\f' => "\\f"u8,
            '\r' => "\\r"u8,
            _ => default,
        };
        if (!shortForm.IsEmpty)
        {
            WriteAscii(shortForm);
            return;
        }

        var span = output.GetSpan(6);
        "\\u00"u8.CopyTo(span);
        span[4] = HexDigit(c >> 4);
        span[5] = HexDigit(c & 0xF);
        output.Advance(6);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void WriteAscii(ReadOnlySpan<byte> text) => output.Write(text);

    private void WriteAscii(ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
