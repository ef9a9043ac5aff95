using Microsoft.Extensions.Logging;

namespace Countersign.Hosting;

internal static partial class AuditVerificationLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Audit chain verified: {Entries} entries.")]
    public static partial void Verified(ILogger logger, long entries);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Audit chain BROKEN at entry {Sequence}: {Problem}")]
    public static partial void Broken(ILogger logger, long? sequence, string? problem);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Scheduled audit verification could not read the log.")]
    public static partial void Failed(ILogger logger, Exception exception);
}
