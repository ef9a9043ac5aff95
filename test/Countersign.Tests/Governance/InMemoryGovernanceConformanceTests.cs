using Countersign.Governance;
using Countersign.StoreConformance;

namespace Countersign.Tests.Governance;

public sealed class InMemoryGovernanceConformanceTests : GovernanceStoreConformanceTests
{
    private readonly InMemoryGovernedStore _store = new();

    protected override TimeSpan ChangeDetectionInterval => TimeSpan.Zero;

    protected override Task<IGovernedStore> OpenStoreAsync() => Task.FromResult(_store.Share());
}
