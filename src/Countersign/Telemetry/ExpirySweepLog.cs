using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>Source-generated log messages of the approval expiry sweeper.</summary>
internal static partial class ExpirySweepLog
{
    [LoggerMessage(30, LogLevel.Information, "Expired {Count} pending approvals whose timeout had passed.")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(31, LogLevel.Warning, "The approval expiry sweep failed; it runs again at the next interval.")]
    public static partial void Failed(ILogger logger, Exception exception);
}
