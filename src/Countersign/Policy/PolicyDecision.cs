using Countersign.Approvals;

namespace Countersign.Policy;

/// <summary>The policy's verdict on one call and the settings for its approval, if it needs one.</summary>
public sealed record PolicyDecision
{
    /// <summary>Gets the verdict.</summary>
    public required PolicyEffect Effect { get; init; }

    /// <summary>Gets why: the deny reasons, or the conditions that made the call need approval.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets the names of the rules that applied.</summary>
    public IReadOnlyList<string> MatchedRules { get; init; } = [];

    /// <summary>Gets the risk level shown to reviewers.</summary>
    public RiskLevel Risk { get; init; } = RiskLevel.Medium;

    /// <summary>Gets how long reviewers have; <see langword="null"/> uses the gate's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Gets how many distinct reviewers must approve.</summary>
    public int Quorum { get; init; } = 1;

    /// <summary>Gets the roles allowed to review; empty means anyone but the requester.</summary>
    public IReadOnlyList<string> ReviewerRoles { get; init; } = [];

    /// <summary>Gets the argument paths to mask before anything is stored or logged.</summary>
    public IReadOnlyList<string> RedactPaths { get; init; } = [];
}
