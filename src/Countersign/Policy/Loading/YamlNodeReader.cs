using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Countersign.Policy.Loading;

/// <summary>Parses YAML text into <see cref="DocumentNode"/>s through YamlDotNet's representation model, which keeps
/// the line and column of every node.</summary>
internal static partial class YamlNodeReader
{
    private const string StringTag = "tag:yaml.org,2002:str";
    private const int MaxDepth = 64;

    public static DocumentNode Read(string text, string sourceName)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)), sourceName);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw Failure(sourceName, (int)ex.End.Line, (int)ex.End.Column, $"invalid YAML: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed input without a position; the end of the last
            // event it did read is where the text stops making sense.
            throw Failure(sourceName, (int)parser.LastGood.Line, (int)parser.LastGood.Column, $"invalid YAML after this point: {ex.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            throw Failure(sourceName, 1, 1, "the policy is empty");
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw Failure(sourceName, (int)second.Line, (int)second.Column, "a policy file holds one YAML document, this one holds several");
        }

        return Convert(stream.Documents[0].RootNode, sourceName);
    }

    private static DocumentNode Convert(YamlNode node, string sourceName)
    {
        var position = new SourcePosition((int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<ScalarNode, DocumentNode>>(mapping.Children.Count);
                foreach (var (key, value) in mapping.Children)
                {
                    if (Convert(key, sourceName) is not ScalarNode scalarKey)
                    {
                        throw Failure(sourceName, (int)key.Start.Line, (int)key.Start.Column, "a key must be a plain name, not a list or a mapping");
                    }

                    entries.Add(new(scalarKey, Convert(value, sourceName)));
                }

                return new MappingNode(position, entries);
            case YamlSequenceNode sequence:
                var items = new List<DocumentNode>(sequence.Children.Count);
                foreach (var item in sequence.Children)
                {
                    items.Add(Convert(item, sourceName));
                }

                return new SequenceNode(position, items);
            case YamlScalarNode scalar:
                var text = scalar.Value ?? string.Empty;
                var taggedString = !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag;
                var kind = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && !taggedString
                    ? Resolve(text)
                    : ScalarKind.String;
                return new ScalarNode(position, kind, text);
            default:
                throw Failure(sourceName, position.Line, position.Column, "unsupported YAML node");
        }
    }

    // The YAML 1.2 core schema's resolution of plain scalars, minus the .inf/.nan and hex/octal forms that a
    // policy never needs (they stay strings and so are reported as not numbers).
    private static ScalarKind Resolve(string text)
    {
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return ScalarKind.Null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return ScalarKind.Boolean;
        }

        return NumberPattern().IsMatch(text) ? ScalarKind.Number : ScalarKind.String;
    }

    [GeneratedRegex(@"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    /// <summary>Remembers where the last good event ended, and stops nesting deep enough to exhaust the stack of
    /// YamlDotNet's recursive loader.</summary>
    private sealed class TrackingParser(IParser inner, string sourceName) : IParser
    {
        private int _depth;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public Mark LastGood { get; private set; } = Mark.Empty;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            switch (inner.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++_depth > MaxDepth)
                    {
                        throw Failure(sourceName, (int)inner.Current.Start.Line, (int)inner.Current.Start.Column, $"nested more than {MaxDepth} levels deep");
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    _depth--;
                    break;
            }

            if (inner.Current is { } current)
            {
                LastGood = current.End;
            }

            return moved;
        }
    }

    private static PolicyLoadException Failure(string sourceName, int line, int column, string problem) =>
        new([new PolicyLoadError { SourceName = sourceName, Line = Math.Max(line, 1), Column = Math.Max(column, 1), Problem = problem }]);
}
