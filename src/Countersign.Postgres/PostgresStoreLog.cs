using Microsoft.Extensions.Logging;

namespace Countersign.Postgres;

/// <summary>The store's log messages.</summary>
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No keys were configured for the PostgreSQL store; using generated keys kept in the database's countersign_keys table. In production set PostgresStoreOptions.Keys (configuration, a secret store) so that whoever reads the database does not also hold the audit key.")]
    public static partial void UsingGeneratedKeys(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Opened the PostgreSQL store on {Host}/{Database} (schema version {SchemaVersion}, payload hash key {PayloadHashKeyId}, audit chain key {AuditChainKeyId}).")]
    public static partial void Opened(ILogger logger, string? host, string? database, int schemaVersion, string payloadHashKeyId, string auditChainKeyId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The PostgreSQL change listener lost its connection; it reconnects in {Delay} and then reads waited-for approvals again, so no decision is missed.")]
    public static partial void ListenerFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Committing {EntryCount} audit entries to the PostgreSQL store failed; their callers were told.")]
    public static partial void AuditCommitFailed(ILogger logger, int entryCount, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "The PostgreSQL change listener is connected and listening.")]
    public static partial void ListenerConnected(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Migrated the PostgreSQL store's schema from version {FromVersion} to {ToVersion}.")]
    public static partial void Migrated(ILogger logger, int fromVersion, int toVersion);
}
