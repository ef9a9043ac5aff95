using Countersign.Pipeline;

namespace Countersign;

/// <summary>Thrown when a guarded call is denied: by policy, by a reviewer, by a timeout, by a stage, or because enforcement failed closed.</summary>
public sealed class ActionDeniedException : CountersignException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="toolName">The tool that was denied.</param>
    /// <param name="reason">Why it was denied: a stable code and a summary.</param>
    /// <param name="reasons">The details from the policy, a reviewer or a stage.</param>
    /// <param name="actionId">The intercepted call's identifier.</param>
    /// <param name="reviewer">The reviewer who denied it, if a reviewer did.</param>
    /// <param name="reviewerComment">The reviewer's comment, if any.</param>
    /// <param name="innerException">The cause, for a store failure.</param>
    public ActionDeniedException(
        string toolName,
        DenialReason reason,
        IReadOnlyList<string> reasons,
        string? actionId,
        string? reviewer = null,
        string? reviewerComment = null,
        Exception? innerException = null)
        : base(BuildMessage(toolName, reason, reasons, reviewer, reviewerComment), actionId, innerException)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ToolName = toolName;
        DenialReason = reason;
        Reasons = reasons;
        Reviewer = reviewer;
        ReviewerComment = reviewerComment;
    }

    /// <summary>Gets the tool that was denied.</summary>
    public string ToolName { get; }

    /// <summary>Gets why the call was denied; compare <see cref="DenialReason.Code"/> to branch on it.</summary>
    public DenialReason DenialReason { get; }

    /// <summary>Gets the details from the policy, a reviewer or a stage.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Gets the reviewer who denied the call, if a reviewer did.</summary>
    public string? Reviewer { get; }

    /// <summary>Gets the reviewer's verbatim comment, if any.</summary>
    public string? ReviewerComment { get; }

    private static string BuildMessage(string toolName, DenialReason reason, IReadOnlyList<string> reasons, string? reviewer, string? comment)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var what = reason == DenialReason.Reviewer && reviewer is not null ? $"denied by reviewer '{reviewer}'" : reason.Summary;
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
