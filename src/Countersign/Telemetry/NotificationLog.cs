using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>Source-generated log messages of the notification dispatcher.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(40, LogLevel.Warning, "Approval channel {Channel} failed to deliver {Kind} of approval {ApprovalId} (attempt {Attempt}); it is tried again at {NextAttemptAt:O}.")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string channel, Countersign.Notifications.NotificationKind kind, string approvalId, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(41, LogLevel.Error, "Approval channel {Channel} failed to deliver {Kind} of approval {ApprovalId} {Attempt} times; it is given up.")]
    public static partial void DeliveryAbandoned(ILogger logger, Exception exception, string channel, Countersign.Notifications.NotificationKind kind, string approvalId, int attempt);

    [LoggerMessage(42, LogLevel.Warning, "The notification dispatcher could not read or write the store; it carries on.")]
    public static partial void StoreFailed(ILogger logger, Exception exception);
}
