namespace Countersign.Sqlite;

/// <summary>The execution ledger's table, schema component <c>executions</c>.</summary>
internal static class ExecutionSchema
{
    public const string Component = "executions";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "one execution per idempotency key", """
            CREATE TABLE executions (
                idempotency_key TEXT NOT NULL PRIMARY KEY,
                action_id       TEXT NOT NULL,
                tool_name       TEXT NOT NULL,
                payload_hash    TEXT NOT NULL,
                started_at      TEXT NOT NULL,
                status          INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),
                result_json     TEXT,
                error           TEXT,
                completed_at    TEXT,
                CHECK ((status = 0) = (completed_at IS NULL))
            );
            """),
    ];
}
