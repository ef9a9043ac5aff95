using Countersign.Client.Protocol;
using Countersign.Pipeline;

namespace Countersign.Server.Api.Actions;

/// <summary>Describes the gate's authorisation of a remote call as the API's verdict.</summary>
internal static class ActionVerdicts
{
    public static ActionVerdict From(GateAuthorization authorization, string? idempotencyKey)
    {
        var context = authorization.Context;
        var reasons = context.Verdict?.Reasons ?? [];
        return authorization.Rejection switch
        {
            null => new ActionVerdict
            {
                Verdict = ActionVerdict.Allow,
                ActionId = authorization.ActionId,
                ApprovalId = authorization.ApprovalId,
                IdempotencyKey = idempotencyKey,
                Path = PathName(authorization.Path),
                WouldBlock = authorization.WouldBlock,
                Reasons = reasons,
            },
            ApprovalPendingException pending => new ActionVerdict
            {
                Verdict = ActionVerdict.Pending,
                ActionId = authorization.ActionId,
                ApprovalId = pending.ApprovalId,
                IdempotencyKey = idempotencyKey,
                Reasons = reasons,
                ExpiresAt = context.Approval?.ExpiresAt,
                Message = "PENDING: " + pending.Message,
            },
            ActionDeniedException denied => new ActionVerdict
            {
                Verdict = ActionVerdict.Deny,
                ActionId = authorization.ActionId,
                ApprovalId = authorization.ApprovalId,
                IdempotencyKey = idempotencyKey,
                Reasons = denied.Reasons,
                DenialCode = denied.DenialReason.Code,
                DenialSummary = denied.DenialReason.Summary,
                Reviewer = denied.Reviewer,
                Comment = denied.ReviewerComment,
                Message = denied.Message,
            },
            var other => throw new InvalidOperationException($"Unexpected rejection {other.GetType().Name}."),
        };
    }

    private static string PathName(ExecutionPath path) => path switch
    {
        ExecutionPath.Allowed => "allow",
        ExecutionPath.Approved => "approved",
        ExecutionPath.ShadowMode => "shadow_mode",
        ExecutionPath.FailOpen => "fail_open",
        ExecutionPath.ReviewShadow => "review_shadow",
        _ => "none",
    };
}
