using Countersign.Keys;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite;

/// <summary>What <see cref="SqliteStore.Open"/> needs: the database file and, for production, the keys.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The default <see cref="ChangePollInterval"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultChangePollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="BusyTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the path of the database file; it and its directory are created when missing.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets where the payload hash and audit chain keys come from: <see cref="ConfigurationKeyRingProvider"/>,
    /// <see cref="InMemoryKeyRingProvider"/>, <see cref="SqliteKeyFileProvider"/> or any other
    /// <see cref="IKeyRingProvider"/>, such as one reading a secret store. It is asked once, when the store opens. When
    /// <see langword="null"/>, the keys are read from, or generated once into, the key file beside the database
    /// (<c>&lt;database&gt;.keys</c>); a read-only open never generates them.
    /// </summary>
    public IKeyRingProvider? Keys { get; set; }

    /// <summary>
    /// Gets or sets how often the store checks the file for changes made by other processes while someone waits for a
    /// decision. Changes made through this store wake waiters at once, whatever the interval.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = DefaultChangePollInterval;

    /// <summary>Gets or sets how long a statement waits for another connection's write lock before it fails as transient.</summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// Gets or sets the durability of commits: <see cref="SqliteDurability.Full"/> (the default) keeps every commit,
    /// audit entries included, through a power cut; <see cref="SqliteDurability.Normal"/> trades the last commits before
    /// a power cut for fewer disk syncs. See <see cref="SqliteDurability"/>.
    /// </summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>
    /// Gets or sets whether the store only reads an existing file, to verify or export its audit log: connections open
    /// the file read-only, nothing is created or migrated and no key file is generated, and writes fail with a
    /// non-transient <see cref="CountersignStoreException"/>. A missing file, a missing key file (when <see cref="Keys"/>
    /// is not set) or a schema of another version than this one's fails the open.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Gets or sets the clock that drives change polling.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory; nothing is logged when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            errors.Add("DatabasePath is required.");
        }

        if (ChangePollInterval <= TimeSpan.Zero || ChangePollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add("ChangePollInterval must be more than zero and at most one minute.");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add("BusyTimeout must be between zero and ten minutes.");
        }

        if (!Enum.IsDefined(Durability))
        {
            errors.Add($"Durability {(int)Durability} is not a known value.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is required.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SQLite store options: " + string.Join(" ", errors));
        }
    }
}
