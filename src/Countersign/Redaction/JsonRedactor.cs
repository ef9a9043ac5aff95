using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Countersign.Serialization;

namespace Countersign.Redaction;

/// <summary>
/// Writes JSON arguments in canonical form (RFC 8785) with the values at given paths replaced
/// by <see cref="Mask"/>, so secrets never reach a store, an audit entry or a log.
/// </summary>
/// <remarks>
/// <para>
/// A path names fields from the root of the arguments: <c>body</c>, <c>card.number</c> (nested),
/// <c>items[0].ssn</c> (one array element), <c>items[*].ssn</c> (every array element), <c>..ssn</c> (the field
/// <c>ssn</c> wherever it is: at the top, in nested objects and inside arrays), optionally written with a leading
/// <c>$</c> (<c>$.body</c>, <c>$..ssn</c>). <c>..</c> may also follow a step: <c>profile..ssn</c> is <c>ssn</c>
/// anywhere inside <c>profile</c>. Field names are matched case-sensitively, as JSON itself is: <c>Body</c> does not
/// mask <c>body</c>. A field whose name contains <c>.</c>, <c>[</c> or <c>]</c> cannot be named by a path.
/// </para>
/// <para>
/// A path that selects nothing is not an error (the field may be optional). A path that reaches an object or an
/// array masks all of it. A field step does not look inside arrays: write <c>items[*].ssn</c> or <c>..ssn</c>, not
/// <c>items.ssn</c>.
/// </para>
/// </remarks>
public static class JsonRedactor
{
    /// <summary>The string that replaces every masked value.</summary>
    public const string Mask = "***";

    /// <summary>Returns the canonical JSON text of <paramref name="value"/> with the values at <paramref name="paths"/> masked.</summary>
    /// <param name="value">The JSON value, usually an action's arguments.</param>
    /// <param name="paths">The paths to mask; may be empty.</param>
    /// <returns>Canonical JSON text (RFC 8785); with no paths, the arguments' canonical form.</returns>
    /// <exception cref="ArgumentException">A path is malformed, or an object has the same member twice.</exception>
    public static string Redact(JsonElement value, IReadOnlyList<string> paths)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value, paths);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns the canonical UTF-8 bytes of <paramref name="value"/> with the values at <paramref name="paths"/> masked.</summary>
    /// <param name="value">The JSON value, usually an action's arguments.</param>
    /// <param name="paths">The paths to mask; may be empty.</param>
    /// <returns>Canonical JSON as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">A path is malformed, or an object has the same member twice.</exception>
    public static byte[] RedactToUtf8Bytes(JsonElement value, IReadOnlyList<string> paths)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value, paths);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical bytes of <paramref name="value"/> with the values at <paramref name="paths"/> masked.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="value">The JSON value, usually an action's arguments.</param>
    /// <param name="paths">The paths to mask; may be empty.</param>
    /// <exception cref="ArgumentException">A path is malformed, or an object has the same member twice.</exception>
    public static void Write(IBufferWriter<byte> output, JsonElement value, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(paths);
        var parsed = new List<ArgumentPath>(paths.Count);
        foreach (var text in paths)
        {
            if (!ArgumentPath.TryParse(text, out var path, out var problem))
            {
                throw new ArgumentException($"The redaction path is malformed: {problem}.", nameof(paths));
            }

            parsed.Add(path);
        }

        var writer = new CanonicalJsonWriter(output);
        var cursors = new List<Cursor>(parsed.Count);
        foreach (var path in parsed)
        {
            cursors.Add(new Cursor(path.Steps, 0));
        }

        WriteValue(writer, value, cursors);
    }

    /// <summary>Checks that <paramref name="path"/> is a well-formed redaction path.</summary>
    /// <param name="path">The path, for example <c>card.number</c> or <c>items[*].ssn</c>.</param>
    /// <param name="problem">Why the path is malformed, when it is.</param>
    /// <returns><see langword="true"/> when the path is well formed.</returns>
    public static bool TryParsePath(string? path, [NotNullWhen(false)] out string? problem) =>
        ArgumentPath.TryParse(path, out _, out problem);

    private static void WriteValue(CanonicalJsonWriter writer, JsonElement value, List<Cursor> cursors)
    {
        if (cursors.Count == 0)
        {
            writer.WriteValue(value);
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in CanonicalJson.SortedMembers(value))
                {
                    var name = property.Name;
                    writer.WritePropertyName(name);
                    WriteChild(writer, property.Value, cursors, step => step.Kind is ArgumentPathStepKind.Property or ArgumentPathStepKind.AnyDepth
                        && string.Equals(step.Name, name, StringComparison.Ordinal));
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var current = index;
                    WriteChild(writer, item, cursors, step => step.Kind == ArgumentPathStepKind.EveryElement
                        || (step.Kind == ArgumentPathStepKind.Index && step.Index == current));
                    index++;
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteValue(value);
                break;
        }
    }

    private static void WriteChild(CanonicalJsonWriter writer, JsonElement child, List<Cursor> cursors, Func<ArgumentPathStep, bool> selects)
    {
        var next = new List<Cursor>();
        foreach (var cursor in cursors)
        {
            var step = cursor.Steps[cursor.Position];
            if (step.Kind == ArgumentPathStepKind.AnyDepth)
            {
                // '..name' keeps looking below this child, whether or not the child is the field itself.
                next.Add(cursor);
            }

            if (!selects(step))
            {
                continue;
            }

            if (cursor.Position + 1 == cursor.Steps.Length)
            {
                writer.WriteString(Mask);
                return;
            }

            next.Add(new Cursor(cursor.Steps, cursor.Position + 1));
        }

        WriteValue(writer, child, next);
    }

    private readonly record struct Cursor(ArgumentPathStep[] Steps, int Position);
}
