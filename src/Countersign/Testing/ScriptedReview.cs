namespace Countersign.Testing;

/// <summary>One scripted reviewer's answer to an approval request; see <see cref="ScriptedReviewerChannel"/>.</summary>
public sealed record ScriptedReview
{
    private ScriptedReview(bool approve, string reviewer, string? comment, IReadOnlyList<string>? roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        Approve = approve;
        Reviewer = reviewer;
        Comment = comment;
        Roles = roles ?? [];
    }

    /// <summary>Gets whether the reviewer approves.</summary>
    public bool Approve { get; }

    /// <summary>Gets who the reviewer is; the core's rules apply (nobody reviews their own request).</summary>
    public string Reviewer { get; }

    /// <summary>Gets the reviewer's comment.</summary>
    public string? Comment { get; }

    /// <summary>Gets the reviewer's roles, for rules that require one.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>An approval by <paramref name="reviewer"/>.</summary>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="comment">An optional comment.</param>
    /// <param name="roles">The reviewer's roles.</param>
    /// <returns>The answer.</returns>
    public static ScriptedReview Approved(string reviewer, string? comment = null, params string[] roles) => new(true, reviewer, comment, roles);

    /// <summary>A denial by <paramref name="reviewer"/>.</summary>
    /// <param name="reviewer">The reviewer's identity.</param>
    /// <param name="comment">The reason the caller is given.</param>
    /// <param name="roles">The reviewer's roles.</param>
    /// <returns>The answer.</returns>
    public static ScriptedReview Denied(string reviewer, string? comment = null, params string[] roles) => new(false, reviewer, comment, roles);
}
