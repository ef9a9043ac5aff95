namespace Countersign.Policy;

/// <summary>One problem found in a policy file, located precisely enough to fix it.</summary>
public sealed record PolicyLoadError
{
    /// <summary>Gets the file path, or the source name given for inline text.</summary>
    public required string SourceName { get; init; }

    /// <summary>Gets the one-based line of the offending node.</summary>
    public required int Line { get; init; }

    /// <summary>Gets the one-based column of the offending node (in bytes for JSON).</summary>
    public int Column { get; init; }

    /// <summary>Gets the zero-based position of the rule in <c>rules</c>, when the problem is in a rule.</summary>
    public int? RuleIndex { get; init; }

    /// <summary>Gets the rule's name, or <c>rule[i]</c> when it has none, when the problem is in a rule.</summary>
    public string? Rule { get; init; }

    /// <summary>Gets the field (as spelled in the file, e.g. <c>quorum</c>), when the problem is in one.</summary>
    public string? Field { get; init; }

    /// <summary>Gets what is wrong, for example <c>must be an integer ≥ 1, got 'two'</c>.</summary>
    public required string Problem { get; init; }

    internal bool RuleIsNamed { get; init; }

    /// <summary>Formats the error as <c>file(line): rule 'name' field 'field': problem</c>.</summary>
    /// <returns>The formatted error.</returns>
    public override string ToString()
    {
        var rule = Rule is null ? null : RuleIsNamed ? $"rule '{Rule}'" : Rule;
        var where = (rule, Field) switch
        {
            (null, null) => string.Empty,
            (null, _) => $"field '{Field}': ",
            (_, null) => $"{rule}: ",
            _ => $"{rule} field '{Field}': ",
        };
        return $"{SourceName}({Line}): {where}{Problem}";
    }
}
