namespace Countersign.Policy;

/// <summary>What a policy rule does to a call it applies to.</summary>
public enum PolicyEffect
{
    /// <summary>Run without a human (still audited).</summary>
    Allow = 0,

    /// <summary>Hold the call until enough reviewers approve it.</summary>
    RequireApproval = 1,

    /// <summary>Refuse the call, with a reason.</summary>
    Deny = 2,
}
