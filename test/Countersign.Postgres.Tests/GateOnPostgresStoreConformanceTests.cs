using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Postgres.Tests;

public sealed class GateOnPostgresStoreConformanceTests : GateOnStoreConformanceTests, IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override ICountersignStore OpenStore() => PostgresStore.Open(_database.Options());
}
