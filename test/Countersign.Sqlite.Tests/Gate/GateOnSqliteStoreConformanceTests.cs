using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests.Gate;

public sealed class GateOnSqliteStoreConformanceTests : GateOnStoreConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override ICountersignStore OpenStore() => SqliteStore.Open(_database.Options());
}
