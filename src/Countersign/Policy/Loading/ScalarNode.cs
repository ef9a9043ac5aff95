namespace Countersign.Policy.Loading;

/// <summary>A scalar: its text as written (numbers keep their digits) and its type.</summary>
internal sealed class ScalarNode(SourcePosition position, ScalarKind kind, string text) : DocumentNode(position)
{
    public ScalarKind Kind { get; } = kind;

    public string Text { get; } = text;

    public override string Describe() => Kind == ScalarKind.Null ? "nothing (null)" : $"'{Text}'";
}
