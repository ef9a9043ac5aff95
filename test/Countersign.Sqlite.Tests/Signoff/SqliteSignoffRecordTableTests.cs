using System.Text.Json;
using System.Text.Json.Serialization;
using Countersign.Signoff;
using Countersign.Sqlite.Signoff;

namespace Countersign.Sqlite.Tests.Signoff;

public sealed class SqliteSignoffRecordTableTests : IDisposable
{
    private readonly SqliteTempDatabase _database = new();

    public SqliteSignoffRecordTableTests()
    {
        _ = StoredFixtures.Issuer;
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Gated_record_round_trips_with_its_signoff_and_data()
    {
        var table = await CreateDeploymentsAsync();
        var deployment = new StoredDeployment("dep-1", "applied", StoredFixtures.Complete) { Notes = "canary green", Environment = "prod" };

        await table.SaveAsync(deployment);
        var loaded = await table.GetAsync("dep-1");

        Assert.Equal(deployment, loaded);
    }

    [Fact]
    public async Task Saving_again_replaces_the_stored_record()
    {
        var table = await CreateDeploymentsAsync();
        var deployment = new StoredDeployment("dep-1", "recommended");
        await table.SaveAsync(deployment);

        deployment.TransitionTo("applied", StoredFixtures.Valid);
        await table.SaveAsync(deployment);

        Assert.Equal("applied", (await table.GetAsync("dep-1"))!.Status);
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM deployments"));
    }

    [Fact]
    public async Task Missing_key_loads_as_null_and_list_returns_every_record_in_key_order()
    {
        var table = await CreateDeploymentsAsync();
        await table.SaveAsync(new StoredDeployment("dep-2", "recommended"));
        await table.SaveAsync(new StoredDeployment("dep-1", "applied", StoredFixtures.Valid));

        Assert.Null(await table.GetAsync("dep-9"));
        Assert.Equal(["dep-1", "dep-2"], await table.ListAsync().Select(record => record.DeploymentId).ToListAsync());
    }

    [Fact]
    public async Task Enum_status_round_trips_by_member_name_with_numeric_or_string_json()
    {
        var numeric = new SqliteSignoffRecordTable<StoredRelease>(_database.ConnectionString, "releases", release => release.ReleaseId);
        var named = new SqliteSignoffRecordTable<StoredRelease>(
            _database.ConnectionString, "named_releases", release => release.ReleaseId, new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } });
        await numeric.EnsureCreatedAsync();
        await named.EnsureCreatedAsync();
        var release = new StoredRelease("rel-1", ReleaseStage.Promoted, StoredFixtures.Complete);

        await numeric.SaveAsync(release);
        await named.SaveAsync(release);

        Assert.Equal(release, await numeric.GetAsync("rel-1"));
        Assert.Equal(release, await named.GetAsync("rel-1"));
        Assert.Equal("Promoted", _database.Scalar("SELECT status FROM releases"));
    }

    [Fact]
    public async Task Issued_signoff_round_trips_and_still_verifies()
    {
        var table = new SqliteSignoffRecordTable<StoredPayout>(_database.ConnectionString, "payouts", payout => payout.PayoutId);
        await table.EnsureCreatedAsync();
        var payout = new StoredPayout("pay-1", "executed", StoredFixtures.Issued());

        await table.SaveAsync(payout);

        Assert.Equal(payout, await table.GetAsync("pay-1"));
    }

    [Fact]
    public async Task Columns_not_the_body_decide_the_loaded_status()
    {
        var table = await CreateDeploymentsAsync();
        await table.SaveAsync(new StoredDeployment("dep-1", "recommended") { Notes = "n" });
        var body = (string)_database.Scalar("SELECT body FROM deployments")!;

        _database.Execute("""UPDATE deployments SET body = json_set(body, '$.Status', 'applied', '$.Signoff', null)""");

        Assert.DoesNotContain("\"Status\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Signoff\"", body, StringComparison.Ordinal);
        Assert.Equal("recommended", (await table.GetAsync("dep-1"))!.Status);
    }

    [Fact]
    public async Task Ensure_created_twice_keeps_the_table_and_its_rows()
    {
        var table = await CreateDeploymentsAsync();
        await table.SaveAsync(new StoredDeployment("dep-1", "applied", StoredFixtures.Valid));

        await table.EnsureCreatedAsync();

        Assert.NotNull(await table.GetAsync("dep-1"));
    }

    [Fact]
    public async Task Table_created_for_another_declaration_is_refused()
    {
        await CreateDeploymentsAsync();
        var wider = new SqliteSignoffRecordTable<WiderDeployment>(_database.ConnectionString, "deployments", deployment => deployment.DeploymentId);

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => wider.EnsureCreatedAsync().AsTask());

        Assert.False(error.IsTransient);
        Assert.Contains("different sign-off declaration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropped_trigger_is_recreated_by_ensure_created()
    {
        var table = await CreateDeploymentsAsync();
        _database.Execute("DROP TRIGGER deployments_signoff_insert");

        await table.EnsureCreatedAsync();

        Assert.Equal(2L, _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'deployments'"));
    }

    [Fact]
    public async Task Rows_smuggled_in_with_the_schema_rewritten_are_reported_by_ensure_created()
    {
        var table = await CreateDeploymentsAsync();
        using (var connection = _database.Open())
        {
            // Only a rewrite of the schema itself gets such a row in; ensure-created then refuses to carry on.
            SqliteTempDatabase.Execute(connection, "DROP TRIGGER deployments_signoff_insert");
            SqliteTempDatabase.Execute(connection, "PRAGMA ignore_check_constraints = ON");
            SqliteTempDatabase.Execute(connection, "INSERT INTO deployments (id, status, body) VALUES ('dep-x', 'applied', '{}')");
        }

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => table.EnsureCreatedAsync().AsTask());

        Assert.Contains("1 row(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_issued_signoff_written_by_hand_is_refused_when_loaded()
    {
        var table = new SqliteSignoffRecordTable<StoredPayout>(_database.ConnectionString, "payouts", payout => payout.PayoutId);
        await table.EnsureCreatedAsync();
        _database.Execute(
            """
            INSERT INTO payouts (id, status, verbatim_response, responsible_owner, approval_id, signed_at, key_id, signature, body)
            VALUES ('pay-1', 'executed', $words, 'bob', 'apr-invented', '2026-11-23T14:05:06.0000000+00:00', 'k-store', $signature, '{"PayoutId":"pay-1"}')
            """,
            ("$words", StoredFixtures.Words),
            ("$signature", new string('a', 64)));

        var error = await Assert.ThrowsAsync<SignoffRequiredException>(() => table.GetAsync("pay-1").AsTask());

        Assert.Equal(["Signature"], error.MissingFields);
    }

    [Fact]
    public async Task Table_name_must_be_a_plain_identifier()
    {
        Assert.Throws<ArgumentException>(() => new SqliteSignoffRecordTable<StoredDeployment>(_database.ConnectionString, "deployments; DROP TABLE x", deployment => deployment.DeploymentId));
        var table = await CreateDeploymentsAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => table.SaveAsync(new StoredDeployment(" ", "recommended")).AsTask());
    }

    [Fact]
    public async Task Unreachable_database_is_a_store_error()
    {
        var table = new SqliteSignoffRecordTable<StoredDeployment>("Data Source=/nonexistent-folder/x.db;Mode=ReadWrite", "deployments", deployment => deployment.DeploymentId);

        await Assert.ThrowsAsync<CountersignStoreException>(() => table.EnsureCreatedAsync().AsTask());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    public async Task Body_that_is_not_a_json_object_is_a_store_error_naming_the_row(string body)
    {
        var table = await CreateDeploymentsAsync();
        _database.Execute("INSERT INTO deployments (id, status, body) VALUES ('dep-1', 'recommended', $body)", ("$body", body));

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => table.GetAsync("dep-1").AsTask());

        Assert.Contains("'dep-1'", error.Message, StringComparison.Ordinal);
    }

    private async Task<SqliteSignoffRecordTable<StoredDeployment>> CreateDeploymentsAsync()
    {
        var table = new SqliteSignoffRecordTable<StoredDeployment>(_database.ConnectionString, "deployments", deployment => deployment.DeploymentId);
        await table.EnsureCreatedAsync();
        return table;
    }
}
