using System.Diagnostics;
using Countersign.Approvals;
using Countersign.Pipeline;
using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>
/// The gate's logs, metrics and activity tags, one call per event of a call's life, so what an operator sees follows
/// the same events the audit log records. Nothing here throws into a guarded call.
/// </summary>
internal sealed class GateTelemetry : IDisposable
{
    private readonly ILogger _logger;
    private readonly GateMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    public GateTelemetry(ILogger logger, GateMetrics metrics, TimeProvider timeProvider)
    {
        _logger = logger;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    public ILogger Logger => _logger;

    public static void Started(GateContext context)
    {
        var activity = CurrentActivity();
        activity?.SetTag(CountersignTelemetry.ToolNameAttribute, context.Request.ToolName);
        activity?.SetTag(CountersignTelemetry.ActionIdAttribute, context.ActionId);
    }

    public void Verdict(GateContext context)
    {
        _metrics.Decision(context.VerdictName, context.ModeName);
        GateLog.Verdict(_logger, context.Request.ToolName, context.ActionId, context.VerdictName, context.ModeName);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            GateLog.Arguments(_logger, context.ActionId, context.RedactedArgumentsJson);
        }

        var activity = CurrentActivity();
        activity?.SetTag(CountersignTelemetry.VerdictAttribute, context.VerdictName);
        activity?.SetTag(CountersignTelemetry.ModeAttribute, context.ModeName);
    }

    public void ApprovalRequested(GateContext context, ApprovalRequest approval) =>
        GateLog.ApprovalRequested(_logger, context.Request.ToolName, context.ActionId, approval.Id, approval.Risk.ToString());

    public void ApprovalWaited(GateContext context, ApprovalRequest approval) =>
        _metrics.ApprovalWait(context.WaitedForReview, ReviewRecorder.StatusText(approval.Status));

    public void Authorized(GateContext context, long started)
    {
        if (context.WouldBlock)
        {
            _metrics.WouldBlock(context.Request.ToolName);
            GateLog.WouldBlock(_logger, context.Request.ToolName, context.ActionId, context.VerdictName, GateEvents.PathName(context.Path));
        }

        CurrentActivity()?.SetTag(CountersignTelemetry.ExecutionPathAttribute, GateEvents.PathName(context.Path));
        Overhead(context, started);
    }

    public void Rejected(GateContext context, CountersignException rejection, Exception? cause, long started)
    {
        if (rejection is ActionDeniedException denial)
        {
            if (cause is not null)
            {
                GateLog.FailedClosed(_logger, cause, context.Request.ToolName, context.ActionId);
            }

            GateLog.Denied(_logger, context.Request.ToolName, context.ActionId, denial.Message);
            var activity = CurrentActivity();
            activity?.SetTag(CountersignTelemetry.DenialCodeAttribute, denial.DenialReason.Code);
            activity?.SetStatus(ActivityStatusCode.Error, denial.DenialReason.Code);
        }

        Overhead(context, started);
    }

    /// <summary>Marks the call's span as an error when the guarded call threw, as OpenTelemetry's conventions ask.</summary>
    public static void Completed(CallOutcome outcome)
    {
        if (!outcome.Succeeded && CurrentActivity() is { } activity)
        {
            activity.SetTag("error.type", outcome.Exception?.GetType().FullName ?? "_OTHER");
            activity.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }
    }

    public void StageFailed(GateContext context, GateStage stage, Exception exception) =>
        GateLog.StageFailed(_logger, exception, stage.Name, context.Request.ToolName, context.ActionId);

    public void StageCompletionFailed(GateContext context, GateStage stage, Exception exception) =>
        GateLog.StageCompletionFailed(_logger, exception, stage.Name, context.ActionId);

    public void PolicyFailed(ActionRequest request, Exception exception) => GateLog.PolicyFailed(_logger, exception, request.ToolName);

    public void CallbackFailed(string callback, Exception exception) => GateLog.CallbackFailed(_logger, exception, callback);

    public void AuditAfterRunFailed(string actionId, Exception exception)
    {
        _metrics.AuditFailure();
        GateLog.AuditAfterRunFailed(_logger, exception, actionId);
    }

    public void Dispose() => _metrics.Dispose();

    private static Activity? CurrentActivity() => Activity.Current is { Source.Name: CountersignTelemetry.Name } activity ? activity : null;

    private void Overhead(GateContext context, long started) =>
        _metrics.Overhead(_timeProvider.GetElapsedTime(started) - context.WaitedForReview);
}
