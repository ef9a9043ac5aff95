using Countersign.Postgres.Signoff;
using Countersign.Signoff;
using Npgsql;

namespace Countersign.Postgres.Tests.Signoff;

/// <summary>
/// Sign-off gated records in PostgreSQL: the table's CHECK constraint, generated from the record type's declaration,
/// refuses every row (even one written by hand in SQL) in a gated status without the required sign-off.
/// </summary>
public sealed class PostgresSignoffRecordTableTests : IAsyncLifetime
{
    private const string Insert = """
        INSERT INTO deployments (id, status, verbatim_response, responsible_owner, body)
        VALUES (@id, @status, @words, @owner, '{"DeploymentId":"x"}')
        """;

    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresSignoffRecordTable<StoredDeployment> _deployments = null!;

    public async Task InitializeAsync()
    {
        _ = StoredFixtures.Issuer;
        _database = await TestDatabase.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _deployments = new PostgresSignoffRecordTable<StoredDeployment>(_dataSource, "deployments", deployment => deployment.DeploymentId);
        await _deployments.EnsureCreatedAsync();
        await new PostgresSignoffRecordTable<StoredRelease>(_dataSource, "releases", release => release.ReleaseId).EnsureCreatedAsync();
        await new PostgresSignoffRecordTable<StoredPayout>(_dataSource, "payouts", payout => payout.PayoutId).EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task InsertAsync(string status, string? words, string? owner) =>
        _database.ExecuteAsync(Insert, ("id", "d-1"), ("status", status), ("words", (object?)words ?? DBNull.Value), ("owner", (object?)owner ?? DBNull.Value));

    private static async Task AssertRefusedAsync(Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(write);
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Theory]
    [InlineData("signed_off")]
    [InlineData("applied")]
    [InlineData("rolled_back")]
    public async Task Raw_insert_in_a_gated_status_without_signoff_is_rejected(string status)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(status, null, null));

        Assert.Equal("deployments_signoff_required", error.ConstraintName);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM deployments"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("                                                                      ")]
    [InlineData("Too short to count as a human's considered words.")]
    [InlineData("L\u200Bo\u200Bo\u200Bk\u200Bs\u200B \u200Bf\u200Bi\u200Bn\u200Be\u200B \u200Bt\u200Bo\u200B \u200Bm\u200Be\u200B,\u200B \u200Bg\u200Bo\u200B \u200Ba\u200Bh\u200Be\u200Ba\u200Bd\u200B!\u200B!\u200B!\u200B!\u200B!\u200B!")]
    [InlineData("\u3000\u00A0\u2028\t\r\nshort\u2003\u2009\u202F\u205F\u1680\u0085\uFEFF\u2060\u180E")]
    public async Task Raw_insert_with_a_blank_short_or_padded_verbatim_response_is_rejected(string words)
    {
        Assert.True(SignoffText.CountSignificant(words) < 50);

        await AssertRefusedAsync(() => InsertAsync("applied", words, "alice"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \u200B\t")]
    public async Task Raw_insert_without_a_responsible_owner_is_rejected(string? owner)
    {
        await AssertRefusedAsync(() => InsertAsync("applied", StoredFixtures.Words, owner));
    }

    [Fact]
    public async Task Raw_insert_with_a_complete_signoff_is_accepted_and_loads()
    {
        await InsertAsync("applied", StoredFixtures.Words, "alice");

        var loaded = (await _deployments.GetAsync("d-1"))!;

        Assert.Equal("applied", loaded.Status);
        Assert.Equal(StoredFixtures.Words, loaded.Signoff!.VerbatimResponse);
    }

    [Fact]
    public async Task Raw_insert_in_an_advisory_status_needs_no_signoff()
    {
        await InsertAsync("recommended", null, null);

        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM deployments"));
    }

    [Theory]
    [InlineData("UPDATE deployments SET verbatim_response = NULL")]
    [InlineData("UPDATE deployments SET verbatim_response = '   '")]
    [InlineData("UPDATE deployments SET responsible_owner = ''")]
    [InlineData("UPDATE deployments SET verbatim_response = substr(verbatim_response, 1, 20)")]
    [InlineData("UPDATE deployments SET status = 'applied', verbatim_response = NULL")]
    public async Task Raw_update_that_clears_or_blanks_a_required_field_while_gated_is_rejected(string sql)
    {
        await InsertAsync("applied", StoredFixtures.Words, "alice");

        await AssertRefusedAsync(() => _database.ExecuteAsync(sql));

        Assert.Equal(StoredFixtures.Words, await _database.ScalarAsync<string>("SELECT verbatim_response FROM deployments"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("promoted")]
    [InlineData(" Promoted")]
    public async Task Raw_enum_status_that_is_not_a_member_name_is_rejected(string status)
    {
        await AssertRefusedAsync(() => _database.ExecuteAsync("INSERT INTO releases (id, status, body) VALUES ('r-1', @status, '{}')", ("status", status)));
    }

    [Fact]
    public async Task Raw_row_requiring_an_issued_signoff_needs_its_signature_fields()
    {
        const string insert = """
            INSERT INTO payouts (id, status, verbatim_response, responsible_owner, approval_id, signed_at, key_id, signature, body)
            VALUES ('p-1', 'executed', @words, 'bob', 'apr-1', timestamptz '2026-11-23 14:05:06+00', @key, @signature, '{}')
            """;

        await AssertRefusedAsync(() => _database.ExecuteAsync(insert, ("words", StoredFixtures.Words), ("key", "k-store"), ("signature", DBNull.Value)));
        await AssertRefusedAsync(() => _database.ExecuteAsync(insert, ("words", StoredFixtures.Words), ("key", "k-store"), ("signature", "forged")));
        await AssertRefusedAsync(() => _database.ExecuteAsync(insert, ("words", StoredFixtures.Words), ("key", DBNull.Value), ("signature", new string('a', 64))));
    }

    [Fact]
    public async Task Records_round_trip_through_save_get_and_list_with_their_signoff()
    {
        var payouts = new PostgresSignoffRecordTable<StoredPayout>(_dataSource, "payouts", payout => payout.PayoutId);
        var releases = new PostgresSignoffRecordTable<StoredRelease>(_dataSource, "releases", release => release.ReleaseId);
        var issued = StoredFixtures.Issued();

        await _deployments.SaveAsync(new StoredDeployment("d-2", "applied", StoredFixtures.Valid) { Notes = "night run", Environment = "prod" });
        await _deployments.SaveAsync(new StoredDeployment("d-1", "recommended"));
        await payouts.SaveAsync(new StoredPayout("p-1", "executed", issued));
        await releases.SaveAsync(new StoredRelease("r-1", ReleaseStage.Promoted, StoredFixtures.Complete));

        var listed = new List<StoredDeployment>();
        await foreach (var deployment in _deployments.ListAsync())
        {
            listed.Add(deployment);
        }

        var payout = (await payouts.GetAsync("p-1"))!;
        var release = (await releases.GetAsync("r-1"))!;
        Assert.Equal(["d-1", "d-2"], listed.Select(d => d.DeploymentId));
        Assert.Equal(("night run", "prod"), (listed[1].Notes, listed[1].Environment));
        Assert.Equal(issued.Signature, payout.Signoff!.Signature);
        Assert.Equal(StoredFixtures.DecidedAt, release.Signoff!.SignedAt);
        Assert.Null(await _deployments.GetAsync("missing"));
    }

    [Fact]
    public async Task Saving_a_record_over_a_gated_row_without_signoff_is_refused_by_the_record_itself()
    {
        Assert.Throws<SignoffRequiredException>(() => new StoredDeployment("d-1", "applied"));

        await _deployments.SaveAsync(new StoredDeployment("d-1", "applied", StoredFixtures.Valid));

        Assert.NotNull(await _deployments.GetAsync("d-1"));
    }

    [Fact]
    public async Task A_table_created_for_another_declaration_is_refused()
    {
        var wider = new PostgresSignoffRecordTable<WiderDeployment>(_dataSource, "deployments", deployment => deployment.DeploymentId);

        var refused = await Assert.ThrowsAsync<CountersignStoreException>(() => wider.EnsureCreatedAsync().AsTask());

        Assert.Contains("different sign-off declaration", refused.Message, StringComparison.Ordinal);
        await _deployments.EnsureCreatedAsync();
    }

    [Fact]
    public async Task A_forged_issued_signoff_written_in_sql_is_refused_when_loaded()
    {
        await _database.ExecuteAsync(
            """
            INSERT INTO payouts (id, status, verbatim_response, responsible_owner, approval_id, signed_at, key_id, signature, body)
            VALUES ('p-1', 'executed', @words, 'bob', 'apr-pay-1', timestamptz '2026-11-23 14:05:06+00', 'k-store', @signature, '{"PayoutId":"p-1"}')
            """,
            ("words", StoredFixtures.Words),
            ("signature", new string('a', 64)));
        var payouts = new PostgresSignoffRecordTable<StoredPayout>(_dataSource, "payouts", payout => payout.PayoutId);

        await Assert.ThrowsAsync<SignoffRequiredException>(() => payouts.GetAsync("p-1").AsTask());
    }

    [Fact]
    public async Task PostgreSQL_counts_significant_characters_exactly_as_the_in_memory_gate_does()
    {
        // No lone surrogates and no U+0000: PostgreSQL text cannot hold either.
        var alphabet = new[] { "a", "b", " ", ".", "\t", "\n", "\r", "\u000B", "\u000C", "\u0085", "\u00A0", "\u1680", "\u180E", "\u2000", "\u2005", "\u200A", "\u200B", "\u200C", "\u200D", "\u2028", "\u2029", "\u202F", "\u205F", "\u2060", "\u3000", "\uFEFF", "é", "漢", "\uD83D\uDE80" };
        var random = new Random(20261123);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT " + PostgresSignoffConstraintSql.Significant("@text::text"), connection);
        var parameter = command.Parameters.Add(new NpgsqlParameter("text", NpgsqlTypes.NpgsqlDbType.Text));
        for (var i = 0; i < 500; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            parameter.Value = text;

            Assert.Equal(SignoffText.CountSignificant(text), Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
