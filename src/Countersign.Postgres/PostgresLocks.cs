namespace Countersign.Postgres;

/// <summary>
/// The transaction-scoped advisory locks (<c>pg_advisory_xact_lock</c>) the store takes; the keys are fixed so every
/// host on the database takes the same ones. Each is released when its transaction ends, whatever ends it.
/// </summary>
internal static class PostgresLocks
{
    /// <summary>Serialises schema migrations, so hosts starting together apply each step once.</summary>
    public const long Migration = 0x436F_756E_7465_7201;

    /// <summary>Serialises approval changes, so change feed positions are handed out in commit order.</summary>
    public const long ApprovalFeed = 0x436F_756E_7465_7202;

    /// <summary>Serialises audit appends, so every host extends one chain.</summary>
    public const long AuditChain = 0x436F_756E_7465_7203;

    /// <summary>Serialises generating keys, so exactly one host's keys are kept.</summary>
    public const long GeneratedKeys = 0x436F_756E_7465_7204;
}
