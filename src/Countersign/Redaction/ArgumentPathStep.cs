namespace Countersign.Redaction;

/// <summary>One step of an <see cref="ArgumentPath"/>: a field name, an array index, every array element, or a field
/// name at any depth.</summary>
internal readonly struct ArgumentPathStep
{
    private ArgumentPathStep(ArgumentPathStepKind kind, string? name, byte[]? utf8Name, int index)
    {
        Kind = kind;
        Name = name;
        Utf8Name = utf8Name;
        Index = index;
    }

    public ArgumentPathStepKind Kind { get; }

    /// <summary>Gets the field name of a <see cref="ArgumentPathStepKind.Property"/> or <see cref="ArgumentPathStepKind.AnyDepth"/> step.</summary>
    public string? Name { get; }

    /// <summary>Gets the field name as UTF-8, so lookups on the hot path need no transcoding.</summary>
    public byte[]? Utf8Name { get; }

    /// <summary>Gets the index of an <see cref="ArgumentPathStepKind.Index"/> step.</summary>
    public int Index { get; }

    public static ArgumentPathStep Property(string name) =>
        new(ArgumentPathStepKind.Property, name, System.Text.Encoding.UTF8.GetBytes(name), -1);

    public static ArgumentPathStep AnyDepth(string name) =>
        new(ArgumentPathStepKind.AnyDepth, name, System.Text.Encoding.UTF8.GetBytes(name), -1);

    public static ArgumentPathStep AtIndex(int index) => new(ArgumentPathStepKind.Index, null, null, index);

    public static ArgumentPathStep EveryElement { get; } = new(ArgumentPathStepKind.EveryElement, null, null, -1);

    /// <summary>Whether this step, used as a pattern, selects the same node as <paramref name="concrete"/>; an
    /// <see cref="ArgumentPathStepKind.AnyDepth"/> step does when the field is right here.</summary>
    public bool Covers(ArgumentPathStep concrete) => Kind switch
    {
        ArgumentPathStepKind.Property or ArgumentPathStepKind.AnyDepth =>
            concrete.Kind == ArgumentPathStepKind.Property && string.Equals(Name, concrete.Name, StringComparison.Ordinal),
        ArgumentPathStepKind.Index => concrete.Kind == ArgumentPathStepKind.Index && Index == concrete.Index,
        _ => concrete.Kind is ArgumentPathStepKind.Index or ArgumentPathStepKind.EveryElement,
    };

    public override string ToString() => Kind switch
    {
        ArgumentPathStepKind.Property => Name!,
        ArgumentPathStepKind.AnyDepth => ".." + Name,
        ArgumentPathStepKind.Index => $"[{Index}]",
        _ => "[*]",
    };
}
