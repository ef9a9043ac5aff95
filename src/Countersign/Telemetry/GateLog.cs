using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>Source-generated log messages. Arguments are logged only at Trace, and only after redaction.</summary>
internal static partial class GateLog
{
    [LoggerMessage(1, LogLevel.Debug, "Gate verdict {Verdict} for {Tool} (action {ActionId}, mode {Mode}).")]
    public static partial void Verdict(ILogger logger, string tool, string actionId, string verdict, string mode);

    [LoggerMessage(2, LogLevel.Trace, "Action {ActionId} arguments (redacted): {Arguments}")]
    public static partial void Arguments(ILogger logger, string actionId, string arguments);

    [LoggerMessage(3, LogLevel.Warning, "{Tool} (action {ActionId}) would have been {Verdict} under enforcement; it runs anyway on path {Path}.")]
    public static partial void WouldBlock(ILogger logger, string tool, string actionId, string verdict, string path);

    [LoggerMessage(4, LogLevel.Information, "Approval {ApprovalId} requested for {Tool} (action {ActionId}, risk {Risk}).")]
    public static partial void ApprovalRequested(ILogger logger, string tool, string actionId, string approvalId, string risk);

    [LoggerMessage(5, LogLevel.Warning, "{Tool} (action {ActionId}) denied: {Reason}")]
    public static partial void Denied(ILogger logger, string tool, string actionId, string reason);

    [LoggerMessage(6, LogLevel.Error, "The audit log could not record the outcome of action {ActionId}; the call had already run and its result is returned.")]
    public static partial void AuditAfterRunFailed(ILogger logger, Exception exception, string actionId);

    [LoggerMessage(7, LogLevel.Error, "The store or audit log failed before {Tool} (action {ActionId}) could run; the call is denied (fail closed).")]
    public static partial void FailedClosed(ILogger logger, Exception exception, string tool, string actionId);

    [LoggerMessage(10, LogLevel.Error, "The policy threw while judging {Tool}; the call is denied.")]
    public static partial void PolicyFailed(ILogger logger, Exception exception, string tool);

    [LoggerMessage(11, LogLevel.Error, "The {Callback} callback threw; the gate's decision is unchanged.")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string callback);

    [LoggerMessage(12, LogLevel.Error, "Stage {Stage} threw while judging {Tool} (action {ActionId}); the call is denied.")]
    public static partial void StageFailed(ILogger logger, Exception exception, string stage, string tool, string actionId);

    [LoggerMessage(13, LogLevel.Error, "Stage {Stage} threw while completing action {ActionId}; the call had already run.")]
    public static partial void StageCompletionFailed(ILogger logger, Exception exception, string stage, string actionId);
}
