using Countersign.Audit;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class InMemoryAuditLogTests : AuditLogConformanceTests
{
    private InMemoryAuditLog _log = null!;

    protected override AuditChain Chain => _log.Chain;

    protected override Task<IAuditLog> CreateLogAsync()
    {
        _log = new InMemoryAuditLog();
        return Task.FromResult<IAuditLog>(_log);
    }

    protected override Task EditStoredFieldAsync(long sequence, string jsonField, string newValue) => Tamper((records, head) =>
    {
        var index = (int)sequence - 1;
        var json = System.Text.Json.Nodes.JsonNode.Parse(AuditEntryJson.GetEntryBytes(records[index].Entry))!;
        json[jsonField] = newValue;
        records[index] = records[index] with { Entry = AuditEntryJson.ReadEntry(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())) };
        return head;
    });

    protected override Task DeleteStoredEntryAsync(long sequence) => Tamper((records, head) =>
    {
        records.RemoveAt((int)sequence - 1);
        return head;
    });

    protected override Task SwapStoredEntriesAsync(long first, long second) => Tamper((records, head) =>
    {
        var (i, j) = ((int)first - 1, (int)second - 1);
        (records[i], records[j]) = (records[j] with { Sequence = first }, records[i] with { Sequence = second });
        return head;
    });

    protected override Task InsertStoredRecordAsync(AuditRecord record) => Tamper((records, head) =>
    {
        var index = (int)record.Sequence - 1;
        records.Insert(index, record);
        for (var i = index + 1; i < records.Count; i++)
        {
            records[i] = records[i] with { Sequence = i + 1 };
        }

        return index == records.Count - 1 ? new AuditChainHead(record.Sequence, record.Mac) : head;
    });

    protected override Task TruncateTailAsync(int count) => Tamper((records, head) =>
    {
        records.RemoveRange(records.Count - count, count);
        return head;
    });

    private Task Tamper(Func<List<AuditRecord>, AuditChainHead, AuditChainHead> tamper)
    {
        _log.TamperForTests(tamper);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Log_verifies_with_the_key_ring_it_was_given()
    {
        var keys = new AuditKeyRing("k1", new byte[32]);
        var log = new InMemoryAuditLog(keys);

        await log.AppendAsync([Entry("a")]);

        Assert.Equal("k1", Assert.Single(await ToListAsync(log.ReadAsync())).KeyId);
        Assert.Same(keys, log.Chain.Keys);
    }
}
