namespace Countersign.Policy.Loading;

/// <summary>A sequence (YAML) or array (JSON).</summary>
internal sealed class SequenceNode(SourcePosition position, List<DocumentNode> items) : DocumentNode(position)
{
    public List<DocumentNode> Items { get; } = items;

    public override string Describe() => "a list";
}
