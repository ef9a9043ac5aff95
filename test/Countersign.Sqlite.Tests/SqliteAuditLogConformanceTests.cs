using Countersign.Audit;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteAuditLogConformanceTests : AuditLogConformanceTests
{
    private readonly TempDatabase _database = new();
    private SqliteStore? _store;

    protected override AuditChain Chain => _store!.AuditLog.Chain;

    protected override async Task<IAuditLog> CreateLogAsync()
    {
        _store = await SqliteStore.OpenAsync(_database.Options(Time));
        return _store.AuditLog;
    }

    protected override async Task DisposeLogAsync(IAuditLog log)
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _database.Dispose();
    }

    protected override Task EditStoredFieldAsync(long sequence, string jsonField, string newValue) => Tamper(
        "UPDATE audit_entries SET entry = json_set(entry, '$.' || $field, $value) WHERE sequence = $sequence",
        ("$field", jsonField), ("$value", newValue), ("$sequence", sequence));

    protected override Task DeleteStoredEntryAsync(long sequence) => Tamper(
        "DELETE FROM audit_entries WHERE sequence = $sequence",
        ("$sequence", sequence));

    protected override Task SwapStoredEntriesAsync(long first, long second) => Tamper(
        """
        UPDATE audit_entries SET sequence = -1 WHERE sequence = $first;
        UPDATE audit_entries SET sequence = $first WHERE sequence = $second;
        UPDATE audit_entries SET sequence = $second WHERE sequence = -1;
        """,
        ("$first", first), ("$second", second));

    // The later rows move up through negative sequences so no step collides with a row not yet moved.
    protected override Task InsertStoredRecordAsync(AuditRecord record) => Tamper(
        """
        UPDATE audit_entries SET sequence = -sequence WHERE sequence >= $sequence;
        UPDATE audit_entries SET sequence = 1 - sequence WHERE sequence < 0;
        INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac) VALUES ($sequence, $entry, $keyId, $previousMac, $mac);
        UPDATE audit_chain_head SET sequence = $sequence, mac = $mac WHERE (SELECT max(sequence) FROM audit_entries) = $sequence;
        """,
        ("$sequence", record.Sequence), ("$entry", System.Text.Encoding.UTF8.GetString(AuditChain.GetEntryBytes(record.Entry))),
        ("$keyId", record.KeyId), ("$previousMac", record.PreviousMac), ("$mac", record.Mac));

    protected override Task TruncateTailAsync(int count) => Tamper(
        "DELETE FROM audit_entries WHERE sequence > (SELECT max(sequence) FROM audit_entries) - $count",
        ("$count", count));

    private Task Tamper(string sql, params (string Name, object Value)[] parameters)
    {
        RawAuditSql.Tamper(_database, sql, parameters);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reading_spans_pages_without_gaps()
    {
        var entries = Enumerable.Range(0, 2500).Select(i => Entry($"a-{i}")).ToArray();
        await Log.AppendAsync(entries);

        var records = await ToListAsync(Log.ReadAsync(afterSequence: 10));

        Assert.Equal(Enumerable.Range(11, 2490).Select(i => (long)i), records.Select(r => r.Sequence));
    }
}
