using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Countersign.Policy.Loading;

/// <summary>
/// Builds <see cref="DocumentNode"/>s from YamlDotNet's parsing events, keeping the line and column of every node.
/// Working from events rather than a loaded tree lets it check each alias as it meets it: an alias is shared, never
/// copied, but counts towards the depth and node limits (<see cref="DocumentLimits"/>) as everything it stands for,
/// so neither a deep chain of aliases nor an alias bomb gets past the reader.
/// </summary>
internal static partial class YamlNodeReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static DocumentNode Read(string text, string sourceName) => new Builder(text, sourceName).Read();

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

    private static SourcePosition PositionOf(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <summary>A finished node with the two measures an alias to it adds: how many lists and mappings deep it goes,
    /// and how many nodes it stands for.</summary>
    private sealed record Built(DocumentNode Node, int Height, long Size);

    /// <summary>A list or mapping whose end event has not come yet.</summary>
    private sealed class Frame(SourcePosition position, AnchorName anchor, bool isMapping)
    {
        public SourcePosition Position { get; } = position;

        public AnchorName Anchor { get; } = anchor;

        public List<DocumentNode>? Items { get; } = isMapping ? null : [];

        public List<KeyValuePair<ScalarNode, DocumentNode>>? Entries { get; } = isMapping ? [] : null;

        public ScalarNode? Key { get; set; }

        public int Height { get; set; } = 1;

        public long Size { get; set; } = 1;

        public Built Finish() => new(Entries is null ? new SequenceNode(Position, Items!) : new MappingNode(Position, Entries), Height, Size);
    }

    private sealed class Builder(string text, string sourceName)
    {
        private readonly Parser _parser = new(new StringReader(text));
        private readonly long _maxNodes = DocumentLimits.MaxNodes(text);
        private readonly Stack<Frame> _open = new();

        // The node each anchor names; null while that node is still open, so an alias inside it is caught.
        private readonly Dictionary<string, Built?> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private Mark _lastGood = Mark.Empty;
        private Built? _root;

        public DocumentNode Read()
        {
            try
            {
                while (Next() is { } parsed)
                {
                    Accept(parsed);
                }
            }
            catch (YamlException ex)
            {
                throw Failure(ex.End, $"invalid YAML: {ex.Message}");
            }
            catch (InvalidOperationException ex)
            {
                // YamlDotNet's scanner throws this on some malformed input without a position; the end of the last
                // event it did read is where the text stops making sense.
                throw Failure(_lastGood, $"invalid YAML after this point: {ex.Message}");
            }

            return _root?.Node ?? throw Failure(Mark.Empty, "the policy is empty");
        }

        private ParsingEvent? Next()
        {
            if (!_parser.MoveNext())
            {
                return null;
            }

            var current = _parser.Current!;
            _lastGood = current.End;
            return current;
        }

        private void Accept(ParsingEvent parsed)
        {
            switch (parsed)
            {
                case DocumentStart when _root is not null:
                    var second = Next() ?? parsed;
                    throw Failure(second.Start, "a policy file holds one YAML document, this one holds several");
                case Scalar scalar:
                    CountNodes(1, scalar.Start);
                    var taggedString = !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag;
                    var kind = scalar.Style == ScalarStyle.Plain && !taggedString ? Resolve(scalar.Value) : ScalarKind.String;
                    var built = new Built(new ScalarNode(PositionOf(scalar.Start), kind, scalar.Value), 0, 1);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = built;
                    }

                    Add(built, scalar.Start);
                    break;
                case AnchorAlias alias:
                    AddAlias(alias);
                    break;
                case MappingStart mapping:
                    Open(mapping.Start, mapping.Anchor, isMapping: true);
                    break;
                case SequenceStart sequence:
                    Open(sequence.Start, sequence.Anchor, isMapping: false);
                    break;
                case MappingEnd or SequenceEnd:
                    var frame = _open.Pop();
                    var finished = frame.Finish();
                    if (!frame.Anchor.IsEmpty)
                    {
                        _anchors[frame.Anchor.Value] = finished;
                    }

                    Add(finished, parsed.Start);
                    break;
            }
        }

        private void Open(Mark start, AnchorName anchor, bool isMapping)
        {
            CountNodes(1, start);
            if (_open.Count >= DocumentLimits.MaxDepth)
            {
                throw Failure(start, DocumentLimits.TooDeep);
            }

            if (_open.TryPeek(out var parent) && parent.Entries is not null && parent.Key is null)
            {
                throw Failure(start, "a key must be a plain name, not a list or a mapping");
            }

            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = null;
            }

            _open.Push(new Frame(PositionOf(start), anchor, isMapping));
        }

        private void AddAlias(AnchorAlias alias)
        {
            var name = alias.Value.Value;
            if (!_anchors.TryGetValue(name, out var target))
            {
                throw Failure(alias.Start, $"the alias '*{name}' names no anchor defined before it");
            }

            if (target is null)
            {
                throw Failure(alias.Start, $"the alias '*{name}' is inside the node it names");
            }

            if (_open.Count + target.Height > DocumentLimits.MaxDepth)
            {
                throw Failure(alias.Start, DocumentLimits.TooDeep + " once aliases are expanded");
            }

            CountNodes(target.Size, alias.Start);
            Add(target, alias.Start);
        }

        private void CountNodes(long count, Mark at)
        {
            _nodes += count;
            if (_nodes > _maxNodes)
            {
                throw Failure(at, string.Create(CultureInfo.InvariantCulture, $"the policy holds more than {_maxNodes} nodes once aliases are expanded"));
            }
        }

        private void Add(Built child, Mark at)
        {
            if (!_open.TryPeek(out var frame))
            {
                _root = child;
                return;
            }

            frame.Height = Math.Max(frame.Height, child.Height + 1);
            frame.Size += child.Size;
            if (frame.Items is not null)
            {
                frame.Items.Add(child.Node);
            }
            else if (frame.Key is not null)
            {
                frame.Entries!.Add(new(frame.Key, child.Node));
                frame.Key = null;
            }
            else
            {
                frame.Key = child.Node as ScalarNode ?? throw Failure(at, "a key must be a plain name, not a list or a mapping");
            }
        }

        private PolicyLoadException Failure(Mark at, string problem) =>
            new([new PolicyLoadError { SourceName = sourceName, Line = Math.Max((int)at.Line, 1), Column = Math.Max((int)at.Column, 1), Problem = problem }]);
    }
}
