namespace Countersign;

/// <summary>Thrown when a guarded call is denied: by policy, by a reviewer, by a timeout, or because enforcement failed closed.</summary>
public sealed class ActionDeniedException : CountersignException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="toolName">The tool that was denied.</param>
    /// <param name="kind">Why it was denied.</param>
    /// <param name="reasons">The reasons from the policy or the gate.</param>
    /// <param name="actionId">The intercepted call's identifier.</param>
    /// <param name="reviewer">The reviewer who denied it, if a reviewer did.</param>
    /// <param name="reviewerComment">The reviewer's comment, if any.</param>
    /// <param name="innerException">The cause, for a store failure.</param>
    public ActionDeniedException(
        string toolName,
        DenialKind kind,
        IReadOnlyList<string> reasons,
        string? actionId,
        string? reviewer = null,
        string? reviewerComment = null,
        Exception? innerException = null)
        : base(BuildMessage(toolName, kind, reasons, reviewer, reviewerComment), actionId, innerException)
    {
        ToolName = toolName;
        Kind = kind;
        Reasons = reasons;
        Reviewer = reviewer;
        ReviewerComment = reviewerComment;
    }

    /// <summary>Gets the tool that was denied.</summary>
    public string ToolName { get; }

    /// <summary>Gets why the call was denied.</summary>
    public DenialKind Kind { get; }

    /// <summary>Gets the reasons from the policy or the gate.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Gets the reviewer who denied the call, if a reviewer did.</summary>
    public string? Reviewer { get; }

    /// <summary>Gets the reviewer's verbatim comment, if any.</summary>
    public string? ReviewerComment { get; }

    internal static string BuildMessage(string toolName, DenialKind kind, IReadOnlyList<string> reasons, string? reviewer, string? comment)
    {
        var what = kind switch
        {
            DenialKind.Policy => "denied by policy",
            DenialKind.Reviewer => $"denied by reviewer '{reviewer}'",
            DenialKind.Timeout => "denied: no reviewer decided before the timeout",
            DenialKind.StoreUnavailable => "denied: the decision could not be recorded, so enforcement failed closed",
            _ => "denied: the approval cannot be used for this call",
        };
        var text = $"DENIED: '{toolName}' was {what}.";
        if (reasons.Count > 0)
        {
            text += " Reasons: " + string.Join("; ", reasons) + ".";
        }

        if (!string.IsNullOrWhiteSpace(comment))
        {
            text += $" Reviewer comment: \"{comment}\".";
        }

        return text;
    }
}
