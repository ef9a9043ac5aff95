using Countersign.Audit;
using Npgsql;

namespace Countersign.Postgres.Tests;

/// <summary>
/// The migration's grants: an application role that can run the whole store yet can never edit or delete audit rows,
/// and triggers that stop even the tables' owner until someone disables them (which the chain then reveals).
/// </summary>
public sealed class PostgresAppendOnlyGrantTests : IAsyncLifetime
{
    private const string Password = "app-password";
    private readonly string _role = "cs_app_" + Guid.NewGuid().ToString("N")[..12];
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await TestDatabase.ExecuteOnServerAsync($"CREATE ROLE {_role} LOGIN PASSWORD '{Password}'");
        await PostgresStoreMigrator.MigrateAsync(_database.ConnectionString, new PostgresMigrationOptions { ApplicationRole = _role });
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await TestDatabase.ExecuteOnServerAsync($"DROP ROLE IF EXISTS {_role}");
    }

    private string ApplicationConnectionString => new NpgsqlConnectionStringBuilder(_database.ConnectionString)
    {
        Username = _role,
        Password = Password,
        Pooling = false,
    }.ConnectionString;

    private static AuditEntry Entry(string actionId) => new()
    {
        Timestamp = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        Kind = AuditEventKind.Authorized,
        ActionId = actionId,
        ToolName = "refund",
    };

    private async Task<PostgresException> AsApplicationAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ApplicationConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task The_application_role_runs_the_store_without_owning_anything()
    {
        var options = new PostgresStoreOptions { ConnectionString = ApplicationConnectionString, MigrateOnOpen = false };
        await using var store = await PostgresStore.OpenAsync(options);
        var now = TimeProvider.System.GetUtcNow();

        await store.AuditLog.AppendAsync([Entry("a-1"), Entry("a-2")]);
        var request = await store.Approvals.CreateOrGetAsync(new Approvals.ApprovalRequest
        {
            Id = "apr-1",
            ActionId = "a-3",
            ToolName = "refund",
            PayloadHash = "h",
            RedactedArgumentsJson = "{}",
            RequestedBy = "refund-bot",
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
        });
        await store.Approvals.RecordReviewAsync(request.Id, new Approvals.Review("bob", true, null, now, "web"), now.AddHours(1));

        Assert.True(await store.Approvals.TryConsumeAsync(request.Id, "h", now));
        Assert.True((await store.AuditLog.VerifyAsync()).IsValid);
        Assert.True(store.KeysGenerated);
    }

    [Fact]
    public async Task The_application_role_cannot_update_delete_or_truncate_audit_rows()
    {
        await using (var store = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = ApplicationConnectionString, MigrateOnOpen = false }))
        {
            await store.AuditLog.AppendAsync([Entry("a-1")]);
        }

        var update = await AsApplicationAsync("UPDATE audit_entries SET key_id = 'x' WHERE sequence = 1");
        var delete = await AsApplicationAsync("DELETE FROM audit_entries WHERE sequence = 1");
        var truncate = await AsApplicationAsync("TRUNCATE audit_entries");
        var disable = await AsApplicationAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER");

        Assert.All(new[] { update, delete, truncate }, e => Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, disable.SqlState);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM audit_entries"));
    }

    [Fact]
    public async Task Even_the_owner_cannot_edit_or_delete_audit_rows_while_the_triggers_stand()
    {
        await using (var store = await PostgresStore.OpenAsync(_database.Options()))
        {
            await store.AuditLog.AppendAsync([Entry("a-1")]);
        }

        var update = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("UPDATE audit_entries SET key_id = 'x'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("DELETE FROM audit_entries"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("TRUNCATE audit_entries"));

        Assert.All(new[] { update, delete, truncate }, e => Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal));
    }
}
