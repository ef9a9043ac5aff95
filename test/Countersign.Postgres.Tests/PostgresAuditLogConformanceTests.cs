using Countersign.Audit;
using Countersign.StoreConformance;

namespace Countersign.Postgres.Tests;

/// <summary>The audit log suite, its tamper layer done with plain SQL by a superuser who first disables the append-only triggers.</summary>
public sealed class PostgresAuditLogConformanceTests : AuditLogConformanceTests
{
    private TestDatabase? _database;
    private PostgresStore? _store;

    protected override AuditChain Chain => _store!.AuditLog.Chain;

    protected override async Task<IAuditLog> CreateLogAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = await PostgresStore.OpenAsync(_database.Options(Time));
        return _store.AuditLog;
    }

    protected override async Task DisposeLogAsync(IAuditLog log)
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Task EditStoredFieldAsync(long sequence, string jsonField, string newValue) => Tamper(
        "UPDATE audit_entries SET entry = jsonb_set(entry::jsonb, ARRAY[@field], to_jsonb(@value::text))::text WHERE sequence = @sequence",
        ("field", jsonField), ("value", newValue), ("sequence", sequence));

    protected override Task DeleteStoredEntryAsync(long sequence) => Tamper(
        "DELETE FROM audit_entries WHERE sequence = @sequence",
        ("sequence", sequence));

    protected override Task SwapStoredEntriesAsync(long first, long second) => Tamper(
        """
        UPDATE audit_entries SET sequence = -1 WHERE sequence = @first;
        UPDATE audit_entries SET sequence = @first WHERE sequence = @second;
        UPDATE audit_entries SET sequence = @second WHERE sequence = -1;
        """,
        ("first", first), ("second", second));

    // Every later row moves up by one to make room for the new one; the key is dropped meanwhile, as rows pass each other.
    protected override Task InsertStoredRecordAsync(AuditRecord record) => Tamper(
        """
        ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey;
        UPDATE audit_entries SET sequence = sequence + 1 WHERE sequence >= @sequence;
        ALTER TABLE audit_entries ADD PRIMARY KEY (sequence);
        INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES (@sequence, @entry, @keyId, @previousMac, @mac);
        UPDATE audit_chain_head SET sequence = @sequence, mac = @mac WHERE (SELECT max(sequence) FROM audit_entries) = @sequence;
        """,
        ("sequence", record.Sequence), ("entry", System.Text.Encoding.UTF8.GetString(AuditChain.GetEntryBytes(record.Entry))),
        ("keyId", record.KeyId), ("previousMac", record.PreviousMac), ("mac", record.Mac));

    protected override Task TruncateTailAsync(int count) => Tamper(
        "DELETE FROM audit_entries WHERE sequence > (SELECT max(sequence) FROM audit_entries) - @count",
        ("count", count));

    private Task Tamper(string sql, params (string Name, object Value)[] parameters) =>
        _database!.ExecuteAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER; " + sql, parameters);

    [Fact]
    public async Task Reading_spans_pages_without_gaps()
    {
        var entries = Enumerable.Range(0, 2500).Select(i => Entry($"a-{i}")).ToArray();
        await Log.AppendAsync(entries);

        var records = await ToListAsync(Log.ReadAsync(afterSequence: 10));

        Assert.Equal(Enumerable.Range(11, 2490).Select(i => (long)i), records.Select(r => r.Sequence));
    }
}
