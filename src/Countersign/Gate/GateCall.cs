using Countersign.Audit;
using Countersign.Policy;

namespace Countersign;

/// <summary>One intercepted call after validation: its identity, payload hash, redacted arguments and verdict.</summary>
internal sealed class GateCall
{
    public required ActionRequest Request { get; init; }

    public required string ActionId { get; init; }

    public required string? RequestedBy { get; init; }

    public required string PayloadHash { get; init; }

    public required string RedactedArgumentsJson { get; init; }

    public required PolicyDecision Decision { get; init; }

    public required bool Enforced { get; init; }

    public required string ModeName { get; init; }

    public string VerdictName => Decision.Effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Deny => "deny",
        _ => "require_approval",
    };

    public AuditEntry Entry(AuditEventKind kind, DateTimeOffset timestamp) => new()
    {
        Timestamp = timestamp,
        Kind = kind,
        ActionId = ActionId,
        ToolName = Request.ToolName,
        AgentId = Request.AgentId,
        SessionId = Request.SessionId,
        RequestedBy = RequestedBy,
        PayloadHash = PayloadHash,
        Mode = ModeName,
    };

    public AuditEntry RequestedEntry(DateTimeOffset timestamp) => Entry(AuditEventKind.Requested, timestamp) with
    {
        ArgumentsJson = RedactedArgumentsJson,
    };

    public AuditEntry VerdictEntry(DateTimeOffset timestamp, bool wouldBlock) => Entry(AuditEventKind.Verdict, timestamp) with
    {
        Verdict = VerdictName,
        Reasons = Decision.Reasons,
        NeededApproval = Decision.Effect == PolicyEffect.RequireApproval,
        Approved = Decision.Effect == PolicyEffect.Allow ? true : Decision.Effect == PolicyEffect.Deny ? false : null,
        DecisionSource = "policy",
        Actor = "policy",
        WouldBlock = wouldBlock,
    };

    public AuditEntry ExecutedEntry(DateTimeOffset timestamp, ExecutionPath path, bool wouldBlock) => Entry(AuditEventKind.Executed, timestamp) with
    {
        Verdict = VerdictName,
        Executed = true,
        ExecutionPath = PathName(path),
        NeededApproval = Decision.Effect == PolicyEffect.RequireApproval,
        WouldBlock = wouldBlock,
    };

    public AuditEntry NotExecutedEntry(DateTimeOffset timestamp, ActionDeniedException denial) => Entry(AuditEventKind.Outcome, timestamp) with
    {
        Verdict = "deny",
        Executed = false,
        Approved = false,
        NeededApproval = Decision.Effect == PolicyEffect.RequireApproval,
        Actor = denial.Reviewer,
        Comment = denial.ReviewerComment,
        Reasons = denial.Reasons,
        Error = denial.Message,
    };

    public static string PathName(ExecutionPath path) => path switch
    {
        ExecutionPath.Allowed => "allow",
        ExecutionPath.Approved => "approved",
        ExecutionPath.Shadow => "shadow",
        ExecutionPath.FailOpen => "fail_open",
        _ => "none",
    };
}
