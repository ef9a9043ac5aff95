using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private object? Scalar(string sql)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Opening_a_new_file_creates_the_schema_in_wal_mode_and_records_its_version()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal((long)StoreSchema.Migrations.Count, Scalar("SELECT MAX(version) FROM schema_versions WHERE component = 'store'"));
    }

    [Fact]
    public async Task Reopening_applies_no_migration_twice()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        // One row per migration of each component: the store's tables, the execution ledger's, the notification outbox's and governance's.
        Assert.Equal((long)(StoreSchema.Migrations.Count + ExecutionSchema.Migrations.Count + NotificationSchema.Migrations.Count + GovernanceSchema.Migrations.Count), Scalar("SELECT COUNT(*) FROM schema_versions"));
    }

    [Fact]
    public async Task A_file_at_version_one_is_upgraded_and_keeps_its_approvals()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        using (var connection = _database.OpenRaw())
        {
            SqliteMigrator.Migrate(connection, StoreSchema.Component, [StoreSchema.Migrations[0]], at);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, requested_by,
                    risk, reasons_json, quorum, reviewer_roles_json, created_at, expires_at, status)
                VALUES ('apr-old', 'act-old', 'refund', 'hash', '{}', 'alice', 2, '[]', 1, '[]',
                    '2026-03-02T09:00:00.0000000Z', '2026-03-02T10:00:00.0000000Z', 0)
                """;
            insert.ExecuteNonQuery();
        }

        await using var store = await SqliteStore.OpenAsync(_database.Options());
        var page = await store.Approvals.QueryAsync(new Approvals.ApprovalQuery { ToolName = "refund" }, at);
        await store.Approvals.RecordReviewAsync("apr-old", new Approvals.Review("bob", true, null, at, "web"), at.AddMinutes(5));
        await using var feed = store.Approvals.WatchAsync(afterPosition: 0).GetAsyncEnumerator();

        Assert.Equal((long)StoreSchema.Migrations.Count, Scalar("SELECT MAX(version) FROM schema_versions WHERE component = 'store'"));
        Assert.Equal("apr-old", Assert.Single(page.Items).Id);
        Assert.Equal(0, page.FeedPosition);
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(Approvals.ApprovalEventKind.Granted, feed.Current.Kind);
    }

    [Fact]
    public async Task Queries_read_through_their_indexes()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        string Plan(string where)
        {
            using var connection = _database.OpenRaw();
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM approval_requests " + where;
            command.Parameters.AddWithValue("$v", "x");
            using var reader = command.ExecuteReader();
            var plan = new System.Text.StringBuilder();
            while (reader.Read())
            {
                plan.Append(reader.GetString(3)).Append('\n');
            }

            return plan.ToString();
        }

        Assert.Contains("approval_requests_status_created", Plan("WHERE status IN (1, 2) ORDER BY created_at DESC, id DESC LIMIT 51"), StringComparison.Ordinal);
        Assert.Contains("approval_requests_tool_created", Plan("WHERE tool_name = $v ORDER BY created_at DESC, id DESC LIMIT 51"), StringComparison.Ordinal);
        Assert.Contains("approval_requests_agent_created", Plan("WHERE agent_id = $v ORDER BY created_at, id LIMIT 51"), StringComparison.Ordinal);
        Assert.Contains("approval_requests_action", Plan("WHERE action_id = $v ORDER BY created_at, id LIMIT 1"), StringComparison.Ordinal);
        Assert.Contains("approval_requests_created", Plan("ORDER BY created_at DESC, id DESC LIMIT 51"), StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", Plan("INDEXED BY approval_requests_pending_expiry WHERE status = 0 AND expires_at <= $v ORDER BY expires_at, id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        Execute("INSERT INTO schema_versions (component, version, description, applied_at) VALUES ('store', 99, 'future', '2030-01-01T00:00:00.0000000Z')");

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(_database.Options()));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_as_permanent()
    {
        await File.WriteAllTextAsync(_database.Path, new string('x', 4096));

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(_database.Options()));

        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task The_file_refuses_a_raw_consumed_row_without_a_consumption_time()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        var error = Assert.Throws<SqliteException>(() => Execute("""
            INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, risk, reasons_json,
                quorum, reviewer_roles_json, created_at, expires_at, grant_expires_at, status)
            VALUES ('x', 'a', 't', 'h', '{}', 1, '[]', 1, '[]', '2026-01-01T00:00:00.0000000Z', '2026-01-01T01:00:00.0000000Z',
                '2026-01-01T01:00:00.0000000Z', 4)
            """));

        Assert.Contains("CHECK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_refuses_a_raw_second_decision_by_the_same_reviewer()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        Execute("""
            INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, risk, reasons_json,
                quorum, reviewer_roles_json, created_at, expires_at, status)
            VALUES ('x', 'a', 't', 'h', '{}', 1, '[]', 2, '[]', '2026-01-01T00:00:00.0000000Z', '2026-01-01T01:00:00.0000000Z', 0);
            INSERT INTO approval_decisions (approval_id, position, reviewer, approved, decided_at, source, roles_json)
            VALUES ('x', 0, 'bob', 1, '2026-01-01T00:01:00.0000000Z', 'web', '[]');
            """);

        Assert.Throws<SqliteException>(() => Execute("""
            INSERT INTO approval_decisions (approval_id, position, reviewer, approved, decided_at, source, roles_json)
            VALUES ('x', 1, 'BOB', 1, '2026-01-01T00:02:00.0000000Z', 'web', '[]')
            """));
    }

    [Fact]
    public async Task The_readable_view_spells_out_entry_fields()
    {
        await using (var store = await SqliteStore.OpenAsync(_database.Options()))
        {
            await store.AuditLog.AppendAsync([new Audit.AuditEntry { Timestamp = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), Kind = Audit.AuditEventKind.Authorized, ActionId = "act-9", ToolName = "refund", Verdict = "deny" }]);
        }

        Assert.Equal("deny", Scalar("SELECT verdict FROM audit_log WHERE action_id = 'act-9'"));
    }
}
