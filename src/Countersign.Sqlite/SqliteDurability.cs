namespace Countersign.Sqlite;

/// <summary>
/// How hard SQLite works to keep a committed transaction through a power cut (the <c>synchronous</c> pragma in WAL
/// mode). Bound from configuration by name: <c>"Full"</c> or <c>"Normal"</c>.
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>, an opt-in: a commit survives a crash of the process, but the last commits before a
    /// power cut or an operating-system crash may be lost (the database stays consistent). The WAL is synced at
    /// checkpoints only, so an audit entry the gate was told is committed, and whose action then ran, can vanish.
    /// </summary>
    Normal = 0,

    /// <summary>
    /// <c>synchronous=FULL</c>, the default: every commit is synced to the disk before it returns, so it survives a
    /// power cut too.
    /// </summary>
    Full = 1,
}
