namespace Countersign.Postgres;

/// <summary>The store's tables, one version line for all of them.</summary>
internal static class PostgresSchema
{
    /// <summary>The channel every committed approval change is announced on; the payload is the approval's id.</summary>
    public const string ApprovalChannel = "countersign_approvals";

    /// <summary>Tables the application role may read and write freely.</summary>
    public static IReadOnlyList<string> ReadWriteTables { get; } =
        ["approval_requests", "approval_decisions", "approval_events", "executions", "notification_deliveries"];

    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new(1, "approvals, decisions, change feed, audit log, chain head, executions, notification outbox, generated keys",
        [
            """
            CREATE TABLE approval_requests (
                id                      text NOT NULL PRIMARY KEY,
                inserted                bigint GENERATED ALWAYS AS IDENTITY,
                action_id               text NOT NULL,
                tool_name               text NOT NULL,
                payload_hash            text NOT NULL,
                redacted_arguments_json text NOT NULL,
                agent_id                text,
                session_id              text,
                requested_by            text,
                idempotency_key         text UNIQUE,
                description             text,
                risk                    smallint NOT NULL CHECK (risk BETWEEN 0 AND 3),
                reasons                 text[] NOT NULL,
                quorum                  integer NOT NULL CHECK (quorum >= 1),
                reviewer_roles          text[] NOT NULL,
                created_at              timestamptz NOT NULL,
                expires_at              timestamptz NOT NULL,
                grant_expires_at        timestamptz,
                grant_validity_ms       bigint CHECK (grant_validity_ms IS NULL OR grant_validity_ms > 0),
                status                  smallint NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),
                consumed_at             timestamptz,
                -- A grant always has an expiry, and only a consumed request has a consumption time.
                CHECK (status NOT IN (1, 4) OR grant_expires_at IS NOT NULL),
                CHECK ((status = 4) = (consumed_at IS NOT NULL))
            )
            """,
            // Keyset paging orders by (created_at, id); each filter that narrows a query well has its own index in that order.
            "CREATE INDEX approval_requests_created ON approval_requests (created_at, id)",
            "CREATE INDEX approval_requests_status_created ON approval_requests (status, created_at, id)",
            "CREATE INDEX approval_requests_tool_created ON approval_requests (tool_name, created_at, id)",
            "CREATE INDEX approval_requests_agent_created ON approval_requests (agent_id, created_at, id)",
            "CREATE INDEX approval_requests_action ON approval_requests (action_id, created_at, id)",
            "CREATE INDEX approval_requests_pending ON approval_requests (created_at, inserted) WHERE status = 0",
            "CREATE INDEX approval_requests_pending_expiry ON approval_requests (expires_at, id) WHERE status = 0",
            """
            CREATE TABLE approval_decisions (
                approval_id text NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
                position    integer NOT NULL,
                reviewer    text NOT NULL,
                approved    boolean NOT NULL,
                comment     text,
                decided_at  timestamptz NOT NULL,
                source      text NOT NULL,
                roles       text[] NOT NULL,
                PRIMARY KEY (approval_id, position)
            )
            """,
            // Distinct reviewers per request, enforced by the database too.
            "CREATE UNIQUE INDEX approval_decisions_reviewer ON approval_decisions (approval_id, lower(reviewer))",
            // One row per committed change, written in the change's own transaction. The approval's state at the event
            // is its row with the event's status and only its first decision_count decisions.
            """
            CREATE TABLE approval_events (
                sequence       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                approval_id    text NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
                kind           smallint NOT NULL CHECK (kind BETWEEN 0 AND 5),
                decision_count integer NOT NULL CHECK (decision_count >= 0)
            )
            """,
            "CREATE INDEX approval_events_approval ON approval_events (approval_id)",
            // NOTIFY is delivered when (and only if) the change commits, to every listening host.
            $"""
            CREATE FUNCTION countersign_announce_approval_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{ApprovalChannel}', NEW.approval_id);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER approval_events_announce AFTER INSERT ON approval_events
            FOR EACH ROW EXECUTE FUNCTION countersign_announce_approval_event()
            """,
            // One row per entry: the entry's canonical JSON, exactly the text its MAC covers, and its place in the chain.
            """
            CREATE TABLE audit_entries (
                sequence bigint NOT NULL PRIMARY KEY,
                entry    text NOT NULL,
                key_id   text NOT NULL,
                prev_mac text NOT NULL,
                mac      text NOT NULL
            )
            """,
            """
            CREATE FUNCTION countersign_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """,
            // Beside the grants: even the owner cannot edit the log without first disabling these, and the chain still
            // catches anyone who does.
            """
            CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION countersign_refuse_audit_change()
            """,
            """
            CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION countersign_refuse_audit_change()
            """,
            """
            CREATE TABLE audit_chain_head (
                id       integer NOT NULL PRIMARY KEY CHECK (id = 1),
                sequence bigint NOT NULL,
                mac      text NOT NULL
            )
            """,
            "INSERT INTO audit_chain_head (id, sequence, mac) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
            // The fields spelled out for people querying the log; the table keeps the exact text the MAC covers.
            """
            CREATE VIEW audit_log AS
            SELECT sequence,
                   (entry::jsonb)->>'timestamp' AS timestamp,
                   (entry::jsonb)->>'kind' AS kind,
                   (entry::jsonb)->>'action_id' AS action_id,
                   (entry::jsonb)->>'tool' AS tool,
                   (entry::jsonb)->>'agent_id' AS agent_id,
                   (entry::jsonb)->>'session_id' AS session_id,
                   (entry::jsonb)->>'requested_by' AS requested_by,
                   (entry::jsonb)->>'verdict' AS verdict,
                   (entry::jsonb)->>'mode' AS mode,
                   (entry::jsonb)->>'approval_id' AS approval_id,
                   (entry::jsonb)->>'decision_source' AS decision_source,
                   (entry::jsonb)->>'actor' AS actor,
                   (entry::jsonb)->>'decision_comment' AS decision_comment,
                   (entry::jsonb)->>'execution_path' AS execution_path,
                   (entry::jsonb)->>'executed' AS executed,
                   (entry::jsonb)->>'error' AS error,
                   key_id, mac
            FROM audit_entries
            """,
            """
            CREATE TABLE executions (
                idempotency_key text NOT NULL PRIMARY KEY,
                action_id       text NOT NULL,
                tool_name       text NOT NULL,
                payload_hash    text NOT NULL,
                started_at      timestamptz NOT NULL,
                status          smallint NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),
                result_json     text,
                error           text,
                completed_at    timestamptz,
                CHECK ((status = 0) = (completed_at IS NULL))
            )
            """,
            """
            CREATE TABLE notification_deliveries (
                approval_id  text NOT NULL,
                kind         smallint NOT NULL CHECK (kind IN (0, 1)),
                channel      text NOT NULL,
                owner        text NOT NULL,
                attempts     integer NOT NULL CHECK (attempts >= 1),
                due_at       timestamptz NOT NULL,
                delivered_at timestamptz,
                last_error   text,
                PRIMARY KEY (approval_id, kind, channel)
            )
            """,
            "CREATE INDEX notification_deliveries_due ON notification_deliveries (due_at) WHERE delivered_at IS NULL",
            // Keys generated for a store that was configured with none, shared by every host on the database.
            """
            CREATE TABLE countersign_keys (
                purpose    text NOT NULL CHECK (purpose IN ('payload_hash', 'audit_chain')),
                key_id     text NOT NULL,
                key        bytea NOT NULL,
                is_current boolean NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (purpose, key_id)
            )
            """,
            "CREATE UNIQUE INDEX countersign_keys_current ON countersign_keys (purpose) WHERE is_current",
        ]),
    ];
}
