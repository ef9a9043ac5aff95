namespace Countersign.Sqlite;

/// <summary>How hard SQLite works to keep a committed transaction through a power cut (the <c>synchronous</c> pragma in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>: a commit survives a crash of the process, but the last commits before a power cut or
    /// an operating-system crash may be lost (the database stays consistent). The WAL is synced at checkpoints only.
    /// </summary>
    Normal = 0,

    /// <summary><c>synchronous=FULL</c>: every commit is synced to the disk before it returns, so it survives a power cut too.</summary>
    Full = 1,
}
