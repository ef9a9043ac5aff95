using Countersign.Audit;
using Countersign.Keys;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

/// <summary>
/// Someone with the file edits the log with plain SQL in ways only this store allows: past the triggers, into rows the
/// store never writes, or at the chain head row. Tampering every log shares is in the conformance suite's tamper layer.
/// </summary>
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
    };

    private void Tamper(string sql) => RawAuditSql.Tamper(_database, sql);

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
