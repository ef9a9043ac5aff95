using Countersign.Notifications;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// The <see cref="INotificationOutbox"/> of a <see cref="SqliteStore"/>: each claim is one conditional upsert, so of
/// all the processes sharing the file exactly one holds a delivery at a time.
/// </summary>
public sealed class SqliteNotificationOutbox : INotificationOutbox
{
    private const string Columns = "approval_id, kind, channel, owner, attempts, due_at, delivered_at, last_error";
    private readonly SqliteConnectionPool _pool;

    internal SqliteNotificationOutbox(SqliteConnectionPool pool)
    {
        _pool = pool;
    }

    /// <inheritdoc />
    public ValueTask<NotificationDelivery?> TryClaimAsync(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckClaim(approvalId, kind, channel, owner, now, leaseUntil);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_pool.Run("claim a notification delivery", connection =>
        {
            using var claim = connection.CreateCommand();
            claim.CommandText = $"""
                INSERT INTO notification_deliveries (approval_id, kind, channel, owner, attempts, due_at)
                VALUES ($approval, $kind, $channel, $owner, 1, $lease)
                ON CONFLICT (approval_id, kind, channel) DO UPDATE
                    SET owner = excluded.owner, attempts = attempts + 1, due_at = excluded.due_at
                    WHERE delivered_at IS NULL AND due_at <= $now
                RETURNING {Columns}
                """;
            claim.Parameters.AddWithValue("$approval", approvalId);
            claim.Parameters.AddWithValue("$kind", (int)kind);
            claim.Parameters.AddWithValue("$channel", channel);
            claim.Parameters.AddWithValue("$owner", owner);
            claim.Parameters.AddWithValue("$lease", SqliteText.FormatTime(leaseUntil));
            claim.Parameters.AddWithValue("$now", SqliteText.FormatTime(now));
            using var reader = claim.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> ExtendLeaseAsync(NotificationDelivery delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        return ValueTask.FromResult(Settle("extend a notification lease", delivery, "due_at = $lease", ("$lease", SqliteText.FormatTime(leaseUntil))));
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkDeliveredAsync(NotificationDelivery delivery, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        return ValueTask.FromResult(Settle("record a notification as delivered", delivery, "delivered_at = $at", ("$at", SqliteText.FormatTime(deliveredAt))));
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordFailureAsync(NotificationDelivery delivery, string errorMessage, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        ArgumentNullException.ThrowIfNull(errorMessage);
        return ValueTask.FromResult(Settle(
            "record a failed notification",
            delivery,
            "last_error = $error, due_at = $next",
            ("$error", errorMessage),
            ("$next", SqliteText.FormatTime(nextAttemptAt))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NotificationDelivery>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<NotificationDelivery>>(_pool.Run("list due notifications", connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT {Columns} FROM notification_deliveries WHERE delivered_at IS NULL AND due_at <= $now ORDER BY due_at LIMIT $limit";
            select.Parameters.AddWithValue("$now", SqliteText.FormatTime(now));
            select.Parameters.AddWithValue("$limit", limit);
            using var reader = select.ExecuteReader();
            List<NotificationDelivery> due = [];
            while (reader.Read())
            {
                due.Add(Read(reader));
            }

            return due;
        }));
    }

    private bool Settle(string operation, NotificationDelivery delivery, string assignments, params (string Name, object Value)[] values) =>
        _pool.Run(operation, connection =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = $"""
                UPDATE notification_deliveries SET {assignments}
                WHERE approval_id = $approval AND kind = $kind AND channel = $channel
                  AND owner = $owner AND attempts = $attempts AND delivered_at IS NULL
                """;
            update.Parameters.AddWithValue("$approval", delivery.ApprovalId);
            update.Parameters.AddWithValue("$kind", (int)delivery.Kind);
            update.Parameters.AddWithValue("$channel", delivery.Channel);
            update.Parameters.AddWithValue("$owner", delivery.Owner);
            update.Parameters.AddWithValue("$attempts", delivery.Attempts);
            foreach (var (name, value) in values)
            {
                update.Parameters.AddWithValue(name, value);
            }

            return update.ExecuteNonQuery() == 1;
        });

    private static NotificationDelivery Read(SqliteDataReader reader) => new()
    {
        ApprovalId = reader.GetString(0),
        Kind = (NotificationKind)reader.GetInt32(1),
        Channel = reader.GetString(2),
        Owner = reader.GetString(3),
        Attempts = reader.GetInt32(4),
        DueAt = SqliteText.ParseTime(reader.GetString(5)),
        DeliveredAt = reader.IsDBNull(6) ? null : SqliteText.ParseTime(reader.GetString(6)),
        LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
    };
}
