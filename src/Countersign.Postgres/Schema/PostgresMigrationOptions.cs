using Microsoft.Extensions.Logging;

namespace Countersign.Postgres;

/// <summary>How <see cref="PostgresStoreMigrator"/> migrates a database.</summary>
public sealed class PostgresMigrationOptions
{
    /// <summary>
    /// Gets or sets the role the application connects as (it must exist). The migration grants it what the store needs
    /// and no more: read and write on approvals, executions and notifications; <c>SELECT</c> and <c>INSERT</c> only on
    /// <c>audit_entries</c>, so the application can never edit or delete audit rows; <c>SELECT</c> and <c>UPDATE</c> on
    /// the chain head; <c>SELECT</c> and <c>INSERT</c> on generated keys. When <see langword="null"/>, no grants are made
    /// (the migrating role is the application's).
    /// </summary>
    public string? ApplicationRole { get; set; }

    /// <summary>Gets or sets the logger factory; nothing is logged when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
