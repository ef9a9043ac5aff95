using Countersign.Audit;
using Countersign.Pipeline;

namespace Countersign.Governance;

/// <summary>Builds the audit entries of governance events, one method per event, as <see cref="GateEvents"/> does for calls.</summary>
internal static class GovernanceEvents
{
    public const string AnyTool = "*";

    public static AuditEntry Halted(AgentHalt halt, string source) => Event(AuditEventKind.AgentHalted, halt.HaltedAt, AnyTool, halt.AgentId) with
    {
        Actor = halt.HaltedBy,
        DecisionSource = source,
        Verdict = "halted",
        Reasons = [halt.Reason],
    };

    public static AuditEntry Resumed(AgentHalt halt, string resumedBy, string reason, DateTimeOffset now) => Event(AuditEventKind.AgentResumed, now, AnyTool, halt.AgentId) with
    {
        Actor = resumedBy,
        DecisionSource = "operator",
        Verdict = "resumed",
        Reasons = [reason, $"halt by '{halt.HaltedBy}' at {halt.HaltedAt:O}: {halt.Reason}"],
    };

    public static AuditEntry PresenceChanged(string agentId, string? from, string to, DateTimeOffset now) => Event(AuditEventKind.PresenceChanged, now, AnyTool, agentId) with
    {
        Verdict = to,
        DecisionSource = "presence",
        Reasons = [$"{from ?? "unknown"} -> {to}"],
    };

    public static AuditEntry ContractViolated(GateContext call, IReadOnlyList<string> failures, DateTimeOffset now) => Event(AuditEventKind.ContractViolated, now, call.Request.ToolName, call.Request.AgentId) with
    {
        ActionId = call.ActionId,
        SessionId = call.Request.SessionId,
        PayloadHash = call.PayloadHash,
        DecisionSource = "contracts",
        Verdict = "post_condition_failed",
        Reasons = failures,
    };

    public static AuditEntry BudgetOverrun(string actionId, string toolName, string? agentId, string? sessionId, IReadOnlyList<BudgetUsage> overruns, DateTimeOffset now) => Event(AuditEventKind.BudgetOverrun, now, toolName, agentId) with
    {
        ActionId = actionId,
        SessionId = sessionId,
        DecisionSource = "budgets",
        Verdict = "overrun",
        Reasons = [.. overruns.Select(o => $"{o.Key}: used {o.Used} of {o.Limit}")],
    };

    private static AuditEntry Event(AuditEventKind kind, DateTimeOffset now, string toolName, string? agentId) => new()
    {
        Timestamp = now,
        Kind = kind,
        ActionId = "gov_" + Guid.CreateVersion7(now).ToString("N"),
        ToolName = toolName,
        AgentId = agentId,
    };
}
