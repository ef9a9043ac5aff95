using Countersign.Approvals;

namespace Countersign.Policy;

/// <summary>
/// A rule as written in code or in a file, not yet checked. <see cref="PolicyAssembler"/> turns it into a
/// <see cref="PolicyRule"/> or into problems.
/// </summary>
internal sealed class RuleSpec
{
    public RuleSpec(int index)
    {
        Index = index;
    }

    public int Index { get; }

    public string? Name { get; set; }

    public string? Tool { get; set; }

    public string? Agent { get; set; }

    public List<ConditionSpec> Conditions { get; } = [];

    /// <summary>Gets every effect that was set, in order; more than one is an error.</summary>
    public List<PolicyEffect> Effects { get; } = [];

    public string? Reason { get; set; }

    public RiskLevel? Risk { get; set; }

    public TimeSpan? Timeout { get; set; }

    public List<string> RedactPaths { get; } = [];

    public int? Quorum { get; set; }

    public List<string>? ReviewerRoles { get; set; }

    /// <summary>Gets the fields the loader already reported as malformed, so they are not also reported as missing.</summary>
    public HashSet<string> InvalidFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets where each field was written, for the loader's line numbers.</summary>
    public Dictionary<string, SourcePosition> Positions { get; } = new(StringComparer.Ordinal);

    public SourcePosition? Position { get; set; }

    /// <summary>Gets how problems name this rule: <c>rule 'name'</c>, or <c>rule[i]</c> when it has no name.</summary>
    public string Label => string.IsNullOrWhiteSpace(Name) ? AutoName(Index) : $"rule '{Name}'";

    public static string AutoName(int index) => $"rule[{index}]";
}
