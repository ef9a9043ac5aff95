using Microsoft.Extensions.Logging;

namespace Countersign.Client;

/// <summary>The remote client's log messages.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Warning, "Countersign server unreachable: '{Tool}' denied (enforcement fails closed): {Reason}")]
    public static partial void FailedClosed(ILogger logger, string tool, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Countersign server unreachable: '{Tool}' runs unchecked (shadow): {Reason}")]
    public static partial void ShadowRun(ILogger logger, string tool, string reason);

    [LoggerMessage(3, LogLevel.Information, "Lost the Countersign server while waiting for approval {ApprovalId}; reconnecting: {Reason}")]
    public static partial void Reconnecting(ILogger logger, string approvalId, string reason);

    [LoggerMessage(4, LogLevel.Warning, "The outcome of action {ActionId} could not be reported: {Reason}")]
    public static partial void ReportFailed(ILogger logger, string actionId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "The OnWaiting callback failed")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
