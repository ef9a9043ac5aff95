namespace Countersign.Policy.Loading;

/// <summary>A mapping (YAML) or object (JSON): keys in file order, duplicates kept so they can be reported.</summary>
internal sealed class MappingNode(SourcePosition position, List<KeyValuePair<ScalarNode, DocumentNode>> entries) : DocumentNode(position)
{
    public List<KeyValuePair<ScalarNode, DocumentNode>> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
