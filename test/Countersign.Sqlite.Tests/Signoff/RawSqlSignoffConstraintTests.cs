using Countersign.Signoff;
using Countersign.Sqlite.Signoff;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests.Signoff;

/// <summary>SQL written by hand, bypassing the record types entirely, against a table created from their declarations.</summary>
public sealed class RawSqlSignoffConstraintTests : IAsyncLifetime
{
    private const string Insert = """
        INSERT INTO deployments (id, status, verbatim_response, responsible_owner, body)
        VALUES ($id, $status, $words, $owner, '{"DeploymentId":"x"}')
        """;

    private readonly SqliteTempDatabase _database = new();

    public async Task InitializeAsync()
    {
        _ = StoredFixtures.Issuer;
        await new SqliteSignoffRecordTable<StoredDeployment>(_database.ConnectionString, "deployments", deployment => deployment.DeploymentId).EnsureCreatedAsync();
        await new SqliteSignoffRecordTable<StoredRelease>(_database.ConnectionString, "releases", release => release.ReleaseId).EnsureCreatedAsync();
        await new SqliteSignoffRecordTable<StoredPayout>(_database.ConnectionString, "payouts", payout => payout.PayoutId).EnsureCreatedAsync();
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("signed_off")]
    [InlineData("applied")]
    [InlineData("rolled_back")]
    public void Raw_insert_in_a_gated_status_without_signoff_is_rejected(string status)
    {
        var error = Assert.Throws<SqliteException>(() => _database.Execute(Insert, ("$id", "d-1"), ("$status", status), ("$words", null), ("$owner", null)));

        Assert.Contains("SIGN-OFF REQUIRED", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _database.Scalar("SELECT count(*) FROM deployments"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("                                                                      ")]
    [InlineData("Too short to count as a human's considered words.")]
    [InlineData("L\u200Bo\u200Bo\u200Bk\u200Bs\u200B \u200Bf\u200Bi\u200Bn\u200Be\u200B \u200Bt\u200Bo\u200B \u200Bm\u200Be\u200B,\u200B \u200Bg\u200Bo\u200B \u200Ba\u200Bh\u200Be\u200Ba\u200Bd\u200B!\u200B!\u200B!\u200B!\u200B!\u200B!")]
    [InlineData("\u3000\u00A0\u2028\t\r\nshort\u2003\u2009\u202F\u205F\u1680\u0085\uFEFF\u2060\u180E")]
    public void Raw_insert_with_a_blank_short_or_padded_verbatim_response_is_rejected(string words)
    {
        Assert.True(SignoffText.CountSignificant(words) < 50);

        Assert.Throws<SqliteException>(() => _database.Execute(Insert, ("$id", "d-1"), ("$status", "applied"), ("$words", words), ("$owner", "alice")));
    }

    [Fact]
    public void Raw_insert_with_a_nul_character_in_the_verbatim_response_is_rejected()
    {
        var words = "ok\0" + new string('x', 80);

        Assert.Throws<SqliteException>(() => _database.Execute(Insert, ("$id", "d-1"), ("$status", "applied"), ("$words", words), ("$owner", "alice")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \u200B\t")]
    public void Raw_insert_without_a_responsible_owner_is_rejected(string? owner)
    {
        Assert.Throws<SqliteException>(() => _database.Execute(Insert, ("$id", "d-1"), ("$status", "applied"), ("$words", StoredFixtures.Words), ("$owner", owner)));
    }

    [Fact]
    public async Task Raw_insert_with_a_complete_signoff_is_accepted_and_loads()
    {
        _database.Execute(Insert, ("$id", "d-1"), ("$status", "applied"), ("$words", StoredFixtures.Words), ("$owner", "alice"));

        var table = new SqliteSignoffRecordTable<StoredDeployment>(_database.ConnectionString, "deployments", deployment => deployment.DeploymentId);
        var loaded = (await table.GetAsync("d-1"))!;

        Assert.Equal("applied", loaded.Status);
        Assert.Equal(StoredFixtures.Words, loaded.Signoff!.VerbatimResponse);
    }

    [Fact]
    public void Raw_insert_in_an_advisory_status_needs_no_signoff()
    {
        _database.Execute(Insert, ("$id", "d-1"), ("$status", "recommended"), ("$words", null), ("$owner", null));

        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM deployments"));
    }

    [Fact]
    public void Raw_update_into_a_gated_status_is_rejected_and_the_row_is_unchanged()
    {
        _database.Execute(Insert, ("$id", "d-1"), ("$status", "recommended"), ("$words", "draft"), ("$owner", "alice"));

        Assert.Throws<SqliteException>(() => _database.Execute("UPDATE deployments SET status = 'applied' WHERE id = 'd-1'"));

        Assert.Equal("recommended", _database.Scalar("SELECT status FROM deployments WHERE id = 'd-1'"));
    }

    [Theory]
    [InlineData("UPDATE deployments SET verbatim_response = NULL")]
    [InlineData("UPDATE deployments SET verbatim_response = '   '")]
    [InlineData("UPDATE deployments SET responsible_owner = ''")]
    [InlineData("UPDATE deployments SET verbatim_response = substr(verbatim_response, 1, 20)")]
    public void Raw_update_that_clears_or_blanks_a_required_field_while_gated_is_rejected(string sql)
    {
        _database.Execute(Insert, ("$id", "d-1"), ("$status", "applied"), ("$words", StoredFixtures.Words), ("$owner", "alice"));

        Assert.Throws<SqliteException>(() => _database.Execute(sql));

        Assert.Equal(StoredFixtures.Words, _database.Scalar("SELECT verbatim_response FROM deployments"));
        Assert.Equal("alice", _database.Scalar("SELECT responsible_owner FROM deployments"));
    }

    [Fact]
    public void Ignoring_check_constraints_does_not_let_a_row_through_because_triggers_still_fire()
    {
        using var connection = _database.Open();
        SqliteTempDatabase.Execute(connection, "PRAGMA ignore_check_constraints = ON");

        var error = Assert.Throws<SqliteException>(() => SqliteTempDatabase.Execute(connection, "INSERT INTO deployments (id, status, body) VALUES ('d-1', 'applied', '{}')"));

        Assert.Contains("SIGN-OFF REQUIRED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_constraint_rejects_the_row_even_with_the_triggers_dropped()
    {
        using var connection = _database.Open();
        SqliteTempDatabase.Execute(connection, "DROP TRIGGER deployments_signoff_insert");

        var error = Assert.Throws<SqliteException>(() => SqliteTempDatabase.Execute(connection, "INSERT INTO deployments (id, status, body) VALUES ('d-1', 'applied', '{}')"));

        Assert.Contains("deployments_signoff_required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("promoted")]
    [InlineData(" Promoted")]
    [InlineData("Draft, Promoted")]
    public void Raw_enum_status_that_is_not_a_member_name_is_rejected(string status)
    {
        Assert.Throws<SqliteException>(() => _database.Execute($"INSERT INTO releases (id, status, body) VALUES ('r-1', '{status}', '{{}}')"));
    }

    [Fact]
    public void Raw_enum_row_needs_every_declared_field()
    {
        const string insert = """
            INSERT INTO releases (id, status, verbatim_response, responsible_owner, approval_id, signed_at, body)
            VALUES ('r-1', 'Promoted', $words, 'alice', $approval, $signed_at, '{}')
            """;

        Assert.Throws<SqliteException>(() => _database.Execute(insert, ("$words", StoredFixtures.Words), ("$approval", "apr-1"), ("$signed_at", "not a time")));
        Assert.Throws<SqliteException>(() => _database.Execute(insert, ("$words", StoredFixtures.Words), ("$approval", " "), ("$signed_at", "2026-11-23T14:05:06.7890000+01:00")));
        Assert.Equal(1, _database.Execute(insert, ("$words", StoredFixtures.Words), ("$approval", "apr-1"), ("$signed_at", "2026-11-23T14:05:06.7890000+01:00")));
    }

    [Fact]
    public void Raw_row_requiring_an_issued_signoff_needs_its_signature_fields()
    {
        const string insert = """
            INSERT INTO payouts (id, status, verbatim_response, responsible_owner, approval_id, signed_at, key_id, signature, body)
            VALUES ('p-1', 'executed', $words, 'bob', 'apr-1', '2026-11-23T14:05:06.0000000+00:00', $key, $signature, '{}')
            """;

        Assert.Throws<SqliteException>(() => _database.Execute(insert, ("$words", StoredFixtures.Words), ("$key", "k-store"), ("$signature", null)));
        Assert.Throws<SqliteException>(() => _database.Execute(insert, ("$words", StoredFixtures.Words), ("$key", "k-store"), ("$signature", "forged")));
        Assert.Throws<SqliteException>(() => _database.Execute(insert, ("$words", StoredFixtures.Words), ("$key", null), ("$signature", new string('a', 64))));
    }

    [Fact]
    public void Sqlite_counts_significant_characters_exactly_as_the_in_memory_gate_does()
    {
        var alphabet = "ab .\t\n\r\u000B\u000C\u0085\u00A0\u1680\u180E\u2000\u2005\u200A\u200B\u200C\u200D\u2028\u2029\u202F\u205F\u2060\u3000\uFEFFé漢\uD83D\uDE80\uD800";
        var random = new Random(20261123);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + SignoffConstraintSql.Significant("$text");
        var parameter = command.Parameters.Add("$text", SqliteType.Text);
        for (var i = 0; i < 2_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            parameter.Value = text;

            Assert.Equal((long)SignoffText.CountSignificant(text), command.ExecuteScalar());
        }
    }
}
