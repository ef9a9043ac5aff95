using Countersign.Audit;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteAuditLogConformanceTests : AuditLogConformanceTests
{
    private readonly TempDatabase _database = new();
    private SqliteStore? _store;

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

    [Fact]
    public async Task Reading_spans_pages_without_gaps()
    {
        var entries = Enumerable.Range(0, 2500).Select(i => Entry($"a-{i}")).ToArray();
        await Log.AppendAsync(entries);

        var records = await ToListAsync(Log.ReadAsync(afterSequence: 10));

        Assert.Equal(Enumerable.Range(11, 2490).Select(i => (long)i), records.Select(r => r.Sequence));
    }
}
