namespace Countersign.Policy;

/// <summary>A policy as written in code or in a file, not yet checked.</summary>
internal sealed class PolicySpec
{
    public string? Name { get; set; }

    public PolicyEffect? DefaultEffect { get; set; }

    public TimeSpan? DefaultTimeout { get; set; }

    public List<string> RedactPaths { get; } = [];

    public List<RuleSpec> Rules { get; } = [];

    /// <summary>The <c>scopes:</c> section: agent id → tool names and globs, in file order.</summary>
    public Dictionary<string, List<string>> Scopes { get; } = new(StringComparer.Ordinal);

    public HashSet<string> InvalidFields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SourcePosition> Positions { get; } = new(StringComparer.Ordinal);
}
