using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>Source-generated log messages of the review path.</summary>
internal static partial class ReviewLog
{
    [LoggerMessage(20, LogLevel.Error, "The audit log could not record a decision on approval {ApprovalId}; the decision stands in the store.")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string approvalId);
}
