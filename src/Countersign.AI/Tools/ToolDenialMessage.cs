using Countersign.Pipeline;
using Countersign.Text;

namespace Countersign.AI;

/// <summary>
/// The text a model reads when a guarded call does not run. Every piece that came from an agent or a reviewer is
/// neutralised and bounded, so a comment cannot smuggle control characters into the conversation or crowd out the reasons.
/// </summary>
internal static class ToolDenialMessage
{
    private const int MaxReasonLength = 300;
    private const int MaxReasons = 10;
    private const int MaxCommentLength = 1000;

    public static string For(CountersignException rejection, int maxLength) => ReviewerText.Neutralize(
        rejection switch
        {
            ActionDeniedException denied => Denied(denied),
            ApprovalPendingException pending => Pending(pending),
            _ => "DENIED: " + rejection.Message,
        },
        maxLength);

    private static string Denied(ActionDeniedException denied)
    {
        var tool = ReviewerText.Neutralize(denied.ToolName, 100);
        var what = denied.DenialReason == DenialReason.Reviewer && denied.Reviewer is not null
            ? $"denied by reviewer '{ReviewerText.Neutralize(denied.Reviewer, 100)}'"
            : denied.DenialReason.Summary;
        var text = $"DENIED: '{tool}' was {what} and did not run.";
        if (denied.Reasons.Count > 0)
        {
            var reasons = denied.Reasons.Take(MaxReasons).Select(r => ReviewerText.Neutralize(r, MaxReasonLength));
            var more = denied.Reasons.Count > MaxReasons ? $"; and {denied.Reasons.Count - MaxReasons} more" : string.Empty;
            text += " Reasons: " + string.Join("; ", reasons) + more + ".";
        }

        if (!string.IsNullOrWhiteSpace(denied.ReviewerComment))
        {
            text += $" Reviewer comment: \"{ReviewerText.Neutralize(denied.ReviewerComment, MaxCommentLength)}\".";
        }

        return text;
    }

    private static string Pending(ApprovalPendingException pending) =>
        $"PENDING: '{ReviewerText.Neutralize(pending.ToolName, 100)}' needs a reviewer's approval and did not run; "
        + $"approval request {pending.ApprovalId} is waiting. Tell the user it awaits approval rather than retrying at once.";
}
