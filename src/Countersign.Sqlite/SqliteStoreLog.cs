using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>The store's log messages.</summary>
internal static partial class SqliteStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No keys were configured for the SQLite store; using generated keys kept in {KeyFilePath}. In production set SqliteStoreOptions.Keys (configuration, a secret store) and keep the keys apart from the database, or an attacker with the file also holds the keys.")]
    public static partial void UsingGeneratedKeys(ILogger logger, string keyFilePath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Opened the SQLite store {DatabasePath} (schema version {SchemaVersion}, synchronous={Durability}, payload hash key {PayloadHashKeyId}, audit chain key {AuditChainKeyId}).")]
    public static partial void Opened(ILogger logger, string databasePath, int schemaVersion, SqliteDurability durability, string payloadHashKeyId, string auditChainKeyId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Checking the SQLite store for decisions made by other processes failed; waiting callers are woken by this process's own decisions and their timeouts until it recovers.")]
    public static partial void ChangeCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Committing {EntryCount} audit entries to the SQLite store failed; their callers were told.")]
    public static partial void AuditCommitFailed(ILogger logger, int entryCount, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Checkpointing the SQLite store's WAL failed; it is retried after the next few megabytes of writes.")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);
}
