using System.Text;
using System.Text.Json;

namespace Countersign.Policy.Loading;

/// <summary>
/// Parses JSON text into <see cref="DocumentNode"/>s with System.Text.Json's <see cref="Utf8JsonReader"/>, turning
/// each token's byte offset into a line and column so semantic errors can point at the node. Comments are allowed.
/// Nesting is limited as in YAML (<see cref="DocumentLimits.MaxDepth"/>); JSON has no aliases, so its node count is
/// bounded by its length.
/// </summary>
internal static class JsonNodeReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        // One more than the limit, so that ReadValue meets the first container too deep and reports it in its own words.
        MaxDepth = DocumentLimits.MaxDepth + 1,
    };

    public static DocumentNode Read(string text, string sourceName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Failure(sourceName, 1, 1, "the policy is empty");
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(bytes);
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw Failure(sourceName, 1, 1, "the policy is empty");
            }

            var root = ReadValue(ref reader, lines, sourceName);
            while (reader.Read())
            {
                // A second value after the root makes the reader throw; comments are skipped.
            }

            return root;
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            throw Failure(sourceName, line, column, $"invalid JSON: {TrimPosition(ex.Message)}");
        }
    }

    private static DocumentNode ReadValue(ref Utf8JsonReader reader, LineMap lines, string sourceName)
    {
        var position = lines.At(reader.TokenStartIndex);
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= DocumentLimits.MaxDepth)
        {
            throw Failure(sourceName, position.Line, position.Column, DocumentLimits.TooDeep);
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<ScalarNode, DocumentNode>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = new ScalarNode(lines.At(reader.TokenStartIndex), ScalarKind.String, reader.GetString()!);
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, lines, sourceName)));
                }

                return new MappingNode(position, entries);
            case JsonTokenType.StartArray:
                var items = new List<DocumentNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines, sourceName));
                }

                return new SequenceNode(position, items);
            case JsonTokenType.String:
                return new ScalarNode(position, ScalarKind.String, reader.GetString()!);
            case JsonTokenType.Number:
                return new ScalarNode(position, ScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new ScalarNode(position, ScalarKind.Boolean, "true");
            case JsonTokenType.False:
                return new ScalarNode(position, ScalarKind.Boolean, "false");
            default:
                return new ScalarNode(position, ScalarKind.Null, "null");
        }
    }

    private static string TrimPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static PolicyLoadException Failure(string sourceName, int line, int column, string problem) =>
        new([new PolicyLoadError { SourceName = sourceName, Line = line, Column = column, Problem = problem }]);

    /// <summary>Finds the line and column of a byte offset.</summary>
    private sealed class LineMap
    {
        private readonly List<long> _lineStarts = [0];

        public LineMap(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public SourcePosition At(long offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            if (index < 0)
            {
                index = ~index - 1;
            }

            return new SourcePosition(index + 1, (int)(offset - _lineStarts[index]) + 1);
        }
    }
}
