namespace Countersign.Policy.Loading;

/// <summary>A node of a parsed policy file, YAML or JSON alike, with where it starts.</summary>
internal abstract class DocumentNode
{
    protected DocumentNode(SourcePosition position)
    {
        Position = position;
    }

    public SourcePosition Position { get; }

    /// <summary>Describes the node in an error message: <c>'two'</c>, <c>a list</c>, <c>a mapping</c>, <c>nothing</c>.</summary>
    public abstract string Describe();
}
