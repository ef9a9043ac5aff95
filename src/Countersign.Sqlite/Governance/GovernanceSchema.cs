namespace Countersign.Sqlite;

/// <summary>The governance state's tables (halts, budgets, sessions, presence), schema component <c>governance</c>.</summary>
internal static class GovernanceSchema
{
    public const string Component = "governance";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "halts, budget counters and reservations, sessions, agent presence", """
            CREATE TABLE governance_halts (
                agent_id  TEXT NOT NULL PRIMARY KEY,
                halted_by TEXT NOT NULL,
                reason    TEXT NOT NULL,
                halted_at TEXT NOT NULL
            );
            CREATE TABLE budget_counters (
                key      TEXT NOT NULL PRIMARY KEY,
                used     INTEGER NOT NULL DEFAULT 0,
                reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
                cap      INTEGER NOT NULL
            );
            CREATE TABLE budget_reservations (
                reservation_id TEXT NOT NULL,
                key            TEXT NOT NULL,
                amount         INTEGER NOT NULL CHECK (amount >= 0),
                PRIMARY KEY (reservation_id, key)
            );
            CREATE TABLE governance_sessions (
                agent_id   TEXT NOT NULL,
                session_id TEXT NOT NULL,
                started_at TEXT NOT NULL,
                PRIMARY KEY (agent_id, session_id)
            );
            CREATE TABLE agent_presence (
                agent_id          TEXT NOT NULL PRIMARY KEY,
                last_call_at      TEXT,
                last_heartbeat_at TEXT,
                state             TEXT
            );
            """),
    ];
}
