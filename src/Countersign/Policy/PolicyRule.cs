using Countersign.Approvals;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// One rule of an <see cref="ActionPolicy"/>: which calls it applies to (tool, agent, conditions) and what it does to
/// them. Rules are immutable and valid by construction; build them with <see cref="PolicyBuilder"/> or load them
/// with <see cref="PolicyLoader"/>.
/// </summary>
public sealed class PolicyRule
{
    internal PolicyRule(
        string name,
        string toolPattern,
        string? agentPattern,
        IReadOnlyList<PolicyCondition> conditions,
        PolicyEffect effect,
        string? denyReason,
        RiskLevel risk,
        TimeSpan? timeout,
        IReadOnlyList<ArgumentPath> redactPaths,
        int quorum,
        IReadOnlyList<string> reviewerRoles)
    {
        Name = name;
        ToolPattern = toolPattern;
        AgentPattern = agentPattern;
        Conditions = conditions;
        Effect = effect;
        DenyReason = denyReason;
        Risk = risk;
        Timeout = timeout;
        ParsedRedactPaths = redactPaths;
        RedactPaths = Array.AsReadOnly(redactPaths.Select(static p => p.Text).ToArray());
        Quorum = quorum;
        ReviewerRoles = reviewerRoles;
    }

    /// <summary>Gets the rule's name, unique in its policy; <c>rule[i]</c> (zero-based position) when none was given.</summary>
    public string Name { get; }

    /// <summary>Gets the tool name pattern: an exact name, a glob with <c>*</c> and <c>?</c>, or <c>*</c> for a fallback rule.</summary>
    public string ToolPattern { get; }

    /// <summary>Gets the agent id pattern (same syntax as <see cref="ToolPattern"/>); <see langword="null"/> matches every caller.</summary>
    public string? AgentPattern { get; }

    /// <summary>Gets the conditions on the arguments; all must hold for the rule to apply. Empty means always.</summary>
    public IReadOnlyList<PolicyCondition> Conditions { get; }

    /// <summary>Gets what the rule does to a call it applies to.</summary>
    public PolicyEffect Effect { get; }

    /// <summary>Gets the reason given when the rule denies a call; set for every <see cref="PolicyEffect.Deny"/> rule.</summary>
    public string? DenyReason { get; }

    /// <summary>Gets the risk level shown to reviewers.</summary>
    public RiskLevel Risk { get; }

    /// <summary>Gets how long reviewers have; <see langword="null"/> uses the policy's default.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Gets the argument paths to mask before the call is stored or logged.</summary>
    public IReadOnlyList<string> RedactPaths { get; }

    /// <summary>Gets how many distinct reviewers must approve (at least 1).</summary>
    public int Quorum { get; }

    /// <summary>Gets the roles allowed to review; empty means anyone but the requester.</summary>
    public IReadOnlyList<string> ReviewerRoles { get; }

    /// <summary>Gets whether the rule's tool pattern is <c>*</c>: it applies only when no other rule applied.</summary>
    public bool IsFallback => ToolPattern == "*";

    internal IReadOnlyList<ArgumentPath> ParsedRedactPaths { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {ToolPattern} -> {Effect}";
}
