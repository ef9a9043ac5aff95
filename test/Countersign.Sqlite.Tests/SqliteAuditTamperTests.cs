using Countersign.Audit;
using Countersign.Keys;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

/// <summary>Someone with the file edits the log with plain SQL; verification must name the first broken entry.</summary>
public sealed class SqliteAuditTamperTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();
    private SqliteStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStore.OpenAsync(_database.Options());
        for (var i = 1; i <= 6; i++)
        {
            await _store.AuditLog.AppendAsync([Entry($"act-{i}")]);
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Dispose();
    }

    private static AuditEntry Entry(string actionId) => new()
    {
        Timestamp = At,
        Kind = AuditEventKind.Reviewed,
        ActionId = actionId,
        ToolName = "refund",
        Approved = false,
        Actor = "bob",
    };

    private void Tamper(string sql) => RawAuditSql.Tamper(_database, sql);

    private string MacOf(long sequence)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT mac FROM audit_entries WHERE sequence = $s";
        command.Parameters.AddWithValue("$s", sequence);
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Untouched_file_verifies_clean()
    {
        var result = await _store.AuditLog.VerifyAsync();

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(6, result.EntriesChecked);
    }

    [Fact]
    public void Plain_sql_cannot_edit_or_delete_entries_while_the_triggers_stand()
    {
        using var connection = _database.OpenRaw();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE audit_entries SET key_id = 'x' WHERE sequence = 1";
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit_entries WHERE sequence = 1";

        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => update.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => delete.ExecuteNonQuery()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edited_field_is_reported_at_its_entry()
    {
        Tamper("""UPDATE audit_entries SET entry = replace(entry, '"approved":false', '"approved":true') WHERE sequence = 3""");

        var result = await _store.AuditLog.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("does not match its MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edited_field_is_visible_to_readers_but_caught_by_verification()
    {
        Tamper("""UPDATE audit_entries SET entry = replace(entry, '"actor":"bob"', '"actor":"ceo"') WHERE sequence = 2""");

        var records = new List<AuditRecord>();
        await foreach (var record in _store.AuditLog.ReadAsync())
        {
            records.Add(record);
        }

        Assert.Equal("ceo", records[1].Entry.Actor);
        Assert.Equal(2, (await _store.AuditLog.VerifyAsync()).FirstBrokenSequence);
        Assert.Equal(2, _store.AuditLog.Chain.Verify(records).FirstBrokenSequence);
    }

    [Fact]
    public async Task Deleted_middle_row_is_reported_as_missing()
    {
        Tamper("DELETE FROM audit_entries WHERE sequence = 3");

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_last_row_is_caught_by_the_chain_head()
    {
        Tamper("DELETE FROM audit_entries WHERE sequence = 6");

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("removed from the end", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_row_appended_with_a_guessed_mac_is_reported()
    {
        var previous = MacOf(6);
        var forged = new AuditChain(new AuditKeyRing(_store.AuditKeys.CurrentKeyId, new byte[32])).Link(7, Entry("act-forged"), previous);
        var text = System.Text.Encoding.UTF8.GetString(AuditChain.GetEntryBytes(forged.Entry));
        Tamper($"""
            INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES (7, '{text}', '{forged.KeyId}', '{previous}', '{forged.Mac}');
            UPDATE audit_chain_head SET sequence = 7, mac = '{forged.Mac}';
            """);

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(7, result.FirstBrokenSequence);
        Assert.Contains("does not match its MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_row_inserted_in_the_middle_breaks_the_chain_there()
    {
        // Make room at 4 by shifting the later rows up, then slip a row in that claims to follow entry 3.
        var previous = MacOf(3);
        var forged = new AuditChain(new AuditKeyRing(_store.AuditKeys.CurrentKeyId, new byte[32])).Link(4, Entry("act-forged"), previous);
        var text = System.Text.Encoding.UTF8.GetString(AuditChain.GetEntryBytes(forged.Entry));
        Tamper($"""
            UPDATE audit_entries SET sequence = -sequence WHERE sequence >= 4;
            UPDATE audit_entries SET sequence = 1 - sequence WHERE sequence < 0;
            INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES (4, '{text}', '{forged.KeyId}', '{previous}', '{forged.Mac}');
            """);

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Swapped_sequences_of_two_rows_break_the_link()
    {
        Tamper("""
            UPDATE audit_entries SET sequence = -1 WHERE sequence = 2;
            UPDATE audit_entries SET sequence = 2 WHERE sequence = 4;
            UPDATE audit_entries SET sequence = 4 WHERE sequence = -1;
            """);

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_claiming_an_unknown_key_is_reported()
    {
        Tamper("UPDATE audit_entries SET key_id = 'someone-else' WHERE sequence = 5");

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Contains("'someone-else'", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_that_is_not_json_is_reported_by_verification_and_refused_by_readers()
    {
        Tamper("UPDATE audit_entries SET entry = 'not json' WHERE sequence = 2");

        var result = await _store.AuditLog.VerifyAsync();
        var read = await Assert.ThrowsAsync<CountersignStoreException>(async () =>
        {
            await foreach (var unused in _store.AuditLog.ReadAsync())
            {
            }
        });

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.False(read.IsTransient);
    }

    [Fact]
    public async Task Missing_chain_head_is_reported()
    {
        Tamper("DELETE FROM audit_chain_head");

        var result = await _store.AuditLog.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Contains("head", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_written_with_other_keys_does_not_verify()
    {
        await _store.DisposeAsync();
        var options = _database.Options();
        options.Keys = new InMemoryKeyRingProvider(new KeyRing(KeySet.CreateEphemeral(KeyPurpose.PayloadHash), new KeySet(KeyPurpose.AuditChain, "other", new byte[32])));
        _store = await SqliteStore.OpenAsync(options);

        var result = await _store.AuditLog.VerifyAsync();

        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Contains("not in the key ring", result.Problem, StringComparison.Ordinal);
    }
}
