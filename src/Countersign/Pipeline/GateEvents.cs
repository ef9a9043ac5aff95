using Countersign.Approvals;
using Countersign.Audit;

namespace Countersign.Pipeline;

/// <summary>
/// Builds every audit entry the gate and the review recorder write, one method per event, so the fields an event
/// carries are decided in one place.
/// </summary>
internal static class GateEvents
{
    public static AuditEntry ApprovalRequested(GateContext call, ApprovalRequest approval, DateTimeOffset now) => Base(call, AuditEventKind.ApprovalRequested, now) with
    {
        ArgumentsJson = call.RedactedArgumentsJson,
        Verdict = call.VerdictName,
        NeededApproval = true,
        ApprovalId = approval.Id,
        Reasons = [.. approval.Reasons, $"risk {approval.Risk}, quorum {approval.Quorum}, expires {approval.ExpiresAt:O}"],
    };

    public static AuditEntry Authorized(GateContext call, DateTimeOffset now) => Decision(Base(call, AuditEventKind.Authorized, now), call) with
    {
        ArgumentsJson = call.RedactedArgumentsJson,
        Reasons = call.Verdict?.Reasons ?? [],
        ExecutionPath = PathName(call.Path),
    };

    public static AuditEntry Executed(GateContext call, DateTimeOffset now, string? resultJson, string? error) => Decision(Base(call, AuditEventKind.Outcome, now), call) with
    {
        Executed = true,
        ExecutionPath = PathName(call.Path),
        ResultJson = resultJson,
        Error = error,
        Reasons = call.HasOutcomeNotes ? [.. call.OutcomeNotes] : [],
    };

    // A denied call has no earlier entry, so its one outcome entry carries the arguments and the verdict's reasons.
    public static AuditEntry Denied(GateContext call, ActionDeniedException denial, DateTimeOffset now) => Base(call, AuditEventKind.Outcome, now) with
    {
        ArgumentsJson = call.Approval is null ? call.RedactedArgumentsJson : null,
        Verdict = call.VerdictName,
        NeededApproval = call.NeededApproval,
        Approved = false,
        ApprovalId = call.Approval?.Id,
        Executed = false,
        DenialCode = denial.DenialReason.Code,
        DecisionSource = denial.Reviewer is null ? denial.DenialReason.Code : call.DecisionSource,
        Actor = denial.Reviewer,
        Comment = denial.ReviewerComment,
        Reasons = denial.Reasons,
        Error = denial.Message,
    };

    public static AuditEntry Reviewed(ApprovalRequest approval, Review review, ReviewResult result) => Base(approval, AuditEventKind.Reviewed, review.DecidedAt) with
    {
        Approved = result.IsRecorded ? review.Approved : null,
        DecisionSource = review.Source,
        Actor = review.Reviewer,
        Comment = review.Comment,
        ActorRoles = review.Roles,
        Verdict = result.IsRecorded ? ReviewRecorder.StatusText(approval.Status) : "rejected_review",
        Reasons = result.IsRecorded ? [] : [$"review not recorded: {CountersignEnvironment.ToSnakeCase(result.Kind.ToString())}"],
    };

    public static AuditEntry Expired(ApprovalRequest approval, DateTimeOffset now) => Base(approval, AuditEventKind.ApprovalExpired, now) with
    {
        Approved = false,
        Verdict = "expired",
        DecisionSource = "timeout",
        Actor = "timeout",
        Reasons = [$"no decision before {approval.ExpiresAt:O}"],
    };

    public static string PathName(ExecutionPath path) => path switch
    {
        ExecutionPath.Allowed => "allow",
        ExecutionPath.Approved => "approved",
        ExecutionPath.ShadowMode => "shadow_mode",
        ExecutionPath.ReviewShadow => "review_shadow",
        ExecutionPath.FailOpen => "fail_open",
        _ => "none",
    };

    private static AuditEntry Base(GateContext call, AuditEventKind kind, DateTimeOffset now) => new()
    {
        Timestamp = now,
        Kind = kind,
        ActionId = call.ActionId,
        ToolName = call.Request.ToolName,
        AgentId = call.Request.AgentId,
        SessionId = call.Request.SessionId,
        RequestedBy = call.RequestedBy,
        PayloadHash = call.PayloadHash,
        Mode = call.ModeName,
    };

    // Entries written about an approval outside a call (a review, an expiry) take the call's identity from the approval.
    private static AuditEntry Base(ApprovalRequest approval, AuditEventKind kind, DateTimeOffset timestamp) => new()
    {
        Timestamp = timestamp,
        Kind = kind,
        ActionId = approval.ActionId,
        ToolName = approval.ToolName,
        AgentId = approval.AgentId,
        SessionId = approval.SessionId,
        RequestedBy = approval.RequestedBy,
        PayloadHash = approval.PayloadHash,
        ApprovalId = approval.Id,
        NeededApproval = true,
    };

    // The decision fields that let one line tell the whole story: what the policy said, whether a human was needed,
    // who released the call and with what comment.
    private static AuditEntry Decision(AuditEntry entry, GateContext call) => entry with
    {
        Verdict = call.VerdictName,
        NeededApproval = call.NeededApproval,
        WouldBlock = call.WouldBlock ? true : null,
        Approved = call.Path is ExecutionPath.Allowed or ExecutionPath.Approved ? true : null,
        ApprovalId = call.Approval?.Id,
        DecisionSource = call.DecisionSource,
        Actor = call.DecidedBy,
        Comment = call.ReviewComment,
    };
}
