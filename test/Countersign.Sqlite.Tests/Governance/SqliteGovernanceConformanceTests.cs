using Countersign.Governance;
using Countersign.StoreConformance;

namespace Countersign.Sqlite.Tests.Governance;

public sealed class SqliteGovernanceConformanceTests : GovernanceStoreConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override TimeSpan ChangeDetectionInterval => SqliteStoreOptions.DefaultChangePollInterval;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }

    protected override async Task<IGovernedStore> OpenStoreAsync() => await SqliteStore.OpenAsync(_database.Options(Clock));
}
