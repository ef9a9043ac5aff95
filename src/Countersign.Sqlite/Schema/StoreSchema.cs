namespace Countersign.Sqlite;

/// <summary>The tables of the approval store and the audit log, component <c>store</c>.</summary>
internal static class StoreSchema
{
    public const string Component = "store";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "approval requests, decisions, audit entries and the audit chain head", """
            CREATE TABLE approval_requests (
                id                      TEXT NOT NULL PRIMARY KEY,
                action_id               TEXT NOT NULL,
                tool_name               TEXT NOT NULL,
                payload_hash            TEXT NOT NULL,
                redacted_arguments_json TEXT NOT NULL,
                agent_id                TEXT,
                session_id              TEXT,
                requested_by            TEXT,
                idempotency_key         TEXT UNIQUE,
                description             TEXT,
                risk                    INTEGER NOT NULL CHECK (risk BETWEEN 0 AND 3),
                reasons_json            TEXT NOT NULL,
                quorum                  INTEGER NOT NULL CHECK (quorum >= 1),
                reviewer_roles_json     TEXT NOT NULL,
                created_at              TEXT NOT NULL,
                expires_at              TEXT NOT NULL,
                grant_expires_at        TEXT,
                status                  INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),
                consumed_at             TEXT,
                -- A grant always has an expiry, and only a consumed request has a consumption time.
                CHECK (status NOT IN (1, 4) OR grant_expires_at IS NOT NULL),
                CHECK ((status = 4) = (consumed_at IS NOT NULL))
            );

            CREATE INDEX approval_requests_pending ON approval_requests (created_at) WHERE status = 0;

            CREATE TABLE approval_decisions (
                approval_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
                position    INTEGER NOT NULL,
                reviewer    TEXT NOT NULL,
                approved    INTEGER NOT NULL CHECK (approved IN (0, 1)),
                comment     TEXT,
                decided_at  TEXT NOT NULL,
                source      TEXT NOT NULL,
                roles_json  TEXT NOT NULL,
                PRIMARY KEY (approval_id, position)
            );

            -- Distinct reviewers per request, enforced by the file too (NOCASE folds ASCII; the store folds the rest).
            CREATE UNIQUE INDEX approval_decisions_reviewer ON approval_decisions (approval_id, reviewer COLLATE NOCASE);

            -- One row per entry: the entry's canonical JSON, exactly the text its MAC covers, and its place in the
            -- chain. Nothing is derived from the JSON on insert, to keep the append path short; the view below
            -- spells the fields out for people querying the file.
            CREATE TABLE audit_entries (
                sequence INTEGER NOT NULL PRIMARY KEY,
                entry    TEXT NOT NULL,
                key_id   TEXT NOT NULL,
                prev_mac TEXT NOT NULL,
                mac      TEXT NOT NULL
            );

            CREATE VIEW audit_log AS
            SELECT sequence,
                   json_extract(entry, '$.timestamp') AS timestamp,
                   json_extract(entry, '$.kind') AS kind,
                   json_extract(entry, '$.action_id') AS action_id,
                   json_extract(entry, '$.tool') AS tool,
                   json_extract(entry, '$.agent_id') AS agent_id,
                   json_extract(entry, '$.session_id') AS session_id,
                   json_extract(entry, '$.requested_by') AS requested_by,
                   json_extract(entry, '$.verdict') AS verdict,
                   json_extract(entry, '$.mode') AS mode,
                   json_extract(entry, '$.approval_id') AS approval_id,
                   json_extract(entry, '$.decision_source') AS decision_source,
                   json_extract(entry, '$.actor') AS actor,
                   json_extract(entry, '$.decision_comment') AS decision_comment,
                   json_extract(entry, '$.execution_path') AS execution_path,
                   json_extract(entry, '$.executed') AS executed,
                   json_extract(entry, '$.error') AS error,
                   key_id, mac
            FROM audit_entries;

            -- The log is append-only through SQL as well; the chain still catches anyone who drops these triggers.
            CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

            CREATE TABLE audit_chain_head (
                id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                sequence INTEGER NOT NULL,
                mac      TEXT NOT NULL
            );

            INSERT INTO audit_chain_head (id, sequence, mac)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
            """),
        new(2, "approval query indexes and the approval change feed", """
            -- Keyset paging orders by (created_at, id); each filter that narrows a query well has its own index in
            -- that order, so a page is an index range scan.
            CREATE INDEX approval_requests_created ON approval_requests (created_at, id);
            CREATE INDEX approval_requests_status_created ON approval_requests (status, created_at, id);
            CREATE INDEX approval_requests_tool_created ON approval_requests (tool_name, created_at, id);
            CREATE INDEX approval_requests_agent_created ON approval_requests (agent_id, created_at, id);
            CREATE INDEX approval_requests_action ON approval_requests (action_id);
            CREATE INDEX approval_requests_pending_expiry ON approval_requests (expires_at, id) WHERE status = 0;

            -- One row per committed change, written in the change's own transaction. The approval's state at the
            -- event is its row with the event's status and only its first decision_count decisions: decisions are
            -- appended, and the grant expiry and consumption time are written once.
            CREATE TABLE approval_events (
                sequence       INTEGER PRIMARY KEY AUTOINCREMENT,
                approval_id    TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
                kind           INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),
                decision_count INTEGER NOT NULL CHECK (decision_count >= 0)
            );

            CREATE INDEX approval_events_approval ON approval_events (approval_id);
            """),
        new(3, "grant validity carried by each approval", """
            -- Milliseconds; NULL leaves the grant's lifetime to the reviewer's recorder, as before this version.
            ALTER TABLE approval_requests ADD COLUMN grant_validity_ms INTEGER CHECK (grant_validity_ms IS NULL OR grant_validity_ms > 0);
            """),
        new(
            4,
            "audit entries and payload hashes in RFC 8785 canonical JSON",
            // Nothing to change in the tables: the version marks files whose entries and hashes use RFC 8785.
            "SELECT 1;",
            RefuseWhen: "SELECT 1 FROM audit_entries UNION ALL SELECT 1 FROM approval_requests LIMIT 1",
            Refusal: "The database was made by an older version of Countersign, whose audit entries and payload hashes " +
                "predate RFC 8785 canonical JSON; this version cannot verify them. Keep the older version to read it, " +
                "or start a new database file."),
    ];
}
