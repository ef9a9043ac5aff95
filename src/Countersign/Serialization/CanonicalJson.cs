using System.Buffers;
using System.Text.Json;

namespace Countersign.Serialization;

/// <summary>
/// JSON in the canonical form of RFC 8785 (JCS), so that equal payloads always give equal bytes and anyone can
/// recompute them: object members sorted by UTF-16 code units, no whitespace, numbers as ECMAScript prints a double,
/// strings escaped only where the RFC requires. See <see cref="CanonicalJsonWriter"/> and <see cref="CanonicalNumber"/>.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>Returns the canonical UTF-8 bytes of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">An object has the same member twice, or a number is not exact as a double.</exception>
    public static byte[] ToUtf8Bytes(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the canonical text of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">An object has the same member twice, or a number is not exact as a double.</exception>
    public static string ToString(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the canonical bytes of <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An object has the same member twice, or a number is not exact as a double.</exception>
    public static void Write(IBufferWriter<byte> output, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(output);
        new CanonicalJsonWriter(output).WriteValue(value);
    }

    /// <summary>Returns <paramref name="text"/> as a canonical JSON string literal, quotes included.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate.</exception>
    public static string Quote(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 2);
        new CanonicalJsonWriter(buffer).WriteString(text);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns an object's members in canonical order: by the UTF-16 code units of their names.</summary>
    /// <exception cref="ArgumentException">The object has the same member twice.</exception>
    public static List<JsonProperty> SortedMembers(JsonElement value)
    {
        var properties = new List<JsonProperty>();
        try
        {
            foreach (var property in value.EnumerateObject())
            {
                _ = property.Name;
                properties.Add(property);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException("A JSON member name holds a lone UTF-16 surrogate, which has no canonical form.", ex);
        }

        // Ordinal comparison of .NET strings is comparison of UTF-16 code units, which is the RFC's order.
        properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < properties.Count; i++)
        {
            if (properties[i].Name == properties[i - 1].Name)
            {
                throw new ArgumentException($"The JSON object has the member '{properties[i].Name}' twice.", nameof(value));
            }
        }

        return properties;
    }
}
