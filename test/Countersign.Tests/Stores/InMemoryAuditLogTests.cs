using Countersign.Audit;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class InMemoryAuditLogTests : AuditLogConformanceTests
{
    protected override Task<IAuditLog> CreateLogAsync() => Task.FromResult<IAuditLog>(new InMemoryAuditLog());

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
