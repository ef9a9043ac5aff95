namespace Countersign.Sqlite;

/// <summary>The notification outbox's table, schema component <c>notifications</c>.</summary>
internal static class NotificationSchema
{
    public const string Component = "notifications";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "one delivery per approval, notification kind and channel", """
            CREATE TABLE notification_deliveries (
                approval_id  TEXT NOT NULL,
                kind         INTEGER NOT NULL CHECK (kind IN (0, 1)),
                channel      TEXT NOT NULL,
                owner        TEXT NOT NULL,
                attempts     INTEGER NOT NULL CHECK (attempts >= 1),
                due_at       TEXT NOT NULL,
                delivered_at TEXT,
                last_error   TEXT,
                PRIMARY KEY (approval_id, kind, channel)
            );
            CREATE INDEX notification_deliveries_due ON notification_deliveries (due_at) WHERE delivered_at IS NULL;
            """),
    ];
}
