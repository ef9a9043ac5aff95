using Countersign.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>
/// The <see cref="INotificationOutbox"/> of a <see cref="PostgresStore"/>: each claim is one conditional upsert, so of
/// all the hosts sharing the database exactly one holds a delivery at a time.
/// </summary>
public sealed class PostgresNotificationOutbox : INotificationOutbox
{
    private const string Columns = "approval_id, kind, channel, owner, attempts, due_at, delivered_at, last_error";
    private readonly PostgresDatabase _database;

    internal PostgresNotificationOutbox(PostgresDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public async ValueTask<NotificationDelivery?> TryClaimAsync(string approvalId, NotificationKind kind, string channel, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckClaim(approvalId, kind, channel, owner, now, leaseUntil);
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.RunAsync("claim a notification delivery", async connection =>
        {
            using var claim = new NpgsqlCommand(
                $"""
                INSERT INTO notification_deliveries AS d (approval_id, kind, channel, owner, attempts, due_at)
                VALUES (@approval, @kind, @channel, @owner, 1, @lease)
                ON CONFLICT (approval_id, kind, channel) DO UPDATE
                    SET owner = excluded.owner, attempts = d.attempts + 1, due_at = excluded.due_at
                    WHERE d.delivered_at IS NULL AND d.due_at <= @now
                RETURNING {Columns}
                """,
                connection);
            claim.Parameters.AddWithValue("approval", approvalId);
            claim.Parameters.AddWithValue("kind", (short)kind);
            claim.Parameters.AddWithValue("channel", channel);
            claim.Parameters.AddWithValue("owner", owner);
            claim.Parameters.AddWithValue("lease", PostgresTime.Stored(leaseUntil));
            claim.Parameters.AddWithValue("now", PostgresTime.Stored(now));
            var reader = await claim.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using var readerLifetime = reader.ConfigureAwait(false);
            return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) ? Read(reader) : null;
        }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> ExtendLeaseAsync(NotificationDelivery delivery, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        return SettleAsync("extend a notification lease", delivery, "due_at = @lease", new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(leaseUntil) });
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkDeliveredAsync(NotificationDelivery delivery, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        return SettleAsync("record a notification as delivered", delivery, "delivered_at = @at", new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(deliveredAt) });
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordFailureAsync(NotificationDelivery delivery, string errorMessage, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default)
    {
        NotificationOutboxRules.CheckSettle(delivery);
        ArgumentNullException.ThrowIfNull(errorMessage);
        return SettleAsync(
            "record a failed notification",
            delivery,
            "last_error = @error, due_at = @next",
            new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = errorMessage },
            new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(nextAttemptAt) });
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<NotificationDelivery>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.RunAsync<IReadOnlyList<NotificationDelivery>>("list due notifications", async connection =>
        {
            using var select = new NpgsqlCommand($"SELECT {Columns} FROM notification_deliveries WHERE delivered_at IS NULL AND due_at <= @now ORDER BY due_at LIMIT @limit", connection);
            select.Parameters.AddWithValue("now", PostgresTime.Stored(now));
            select.Parameters.AddWithValue("limit", limit);
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerLifetime = reader.ConfigureAwait(false);
            List<NotificationDelivery> due = [];
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due.Add(Read(reader));
            }

            return due;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> SettleAsync(string operation, NotificationDelivery delivery, string assignments, params NpgsqlParameter[] values) =>
        await _database.RunAsync(operation, async connection =>
        {
            using var update = new NpgsqlCommand(
                $"""
                UPDATE notification_deliveries SET {assignments}
                WHERE approval_id = @approval AND kind = @kind AND channel = @channel
                  AND owner = @owner AND attempts = @attempts AND delivered_at IS NULL
                """,
                connection);
            update.Parameters.AddWithValue("approval", delivery.ApprovalId);
            update.Parameters.AddWithValue("kind", (short)delivery.Kind);
            update.Parameters.AddWithValue("channel", delivery.Channel);
            update.Parameters.AddWithValue("owner", delivery.Owner);
            update.Parameters.AddWithValue("attempts", delivery.Attempts);
            update.Parameters.AddRange(values);
            return await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1;
        }, CancellationToken.None).ConfigureAwait(false);

    private static NotificationDelivery Read(NpgsqlDataReader reader) => new()
    {
        ApprovalId = reader.GetString(0),
        Kind = (NotificationKind)reader.GetInt16(1),
        Channel = reader.GetString(2),
        Owner = reader.GetString(3),
        Attempts = reader.GetInt32(4),
        DueAt = reader.GetFieldValue<DateTimeOffset>(5),
        DeliveredAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
    };
}
