using System.Text.Json;

namespace Countersign;

/// <summary>Turns .NET values into the JSON arguments of an <see cref="ActionRequest"/>.</summary>
public static class ActionArguments
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes <paramref name="value"/> to a JSON element.</summary>
    /// <param name="value">The value; a <see cref="JsonElement"/> is taken as is and <see langword="null"/> gives an empty object.</param>
    /// <returns>A JSON element that does not depend on any document's lifetime.</returns>
    /// <exception cref="ArgumentException">The value cannot be serialized to JSON.</exception>
    public static JsonElement From(object? value)
    {
        switch (value)
        {
            case null:
                return ActionRequest.EmptyObject;
            case JsonElement element:
                return element.ValueKind == JsonValueKind.Undefined ? ActionRequest.EmptyObject : element;
            case JsonDocument document:
                return document.RootElement.Clone();
        }

        try
        {
            return JsonSerializer.SerializeToElement(value, value.GetType(), SerializerOptions);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"The arguments of type '{value.GetType()}' cannot be serialized to JSON: {ex.Message}", nameof(value), ex);
        }
    }

    /// <summary>Builds a JSON object from parameter names and values, as a guarded delegate captures its call.</summary>
    /// <param name="names">The parameter names.</param>
    /// <param name="values">The values, in the same order.</param>
    /// <returns>The JSON object.</returns>
    /// <exception cref="ArgumentException">A value cannot be serialized to JSON.</exception>
    public static JsonElement FromParameters(ReadOnlySpan<string> names, ReadOnlySpan<object?> values)
    {
        if (names.Length != values.Length)
        {
            throw new ArgumentException("Each parameter needs a name.", nameof(names));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                var value = values[i];
                try
                {
                    if (value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        JsonSerializer.Serialize(writer, value, value.GetType(), SerializerOptions);
                    }
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
                {
                    throw new ArgumentException(
                        $"The argument '{names[i]}' of type '{value!.GetType()}' cannot be serialized to JSON: {ex.Message}", nameof(values), ex);
                }
            }

            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
