using Countersign.Approvals;
using Countersign.StoreConformance;

namespace Countersign.Tests.Stores;

public sealed class InMemoryApprovalStoreTests : ApprovalStoreConformanceTests
{
    protected override Task<IApprovalStore> CreateStoreAsync() => Task.FromResult<IApprovalStore>(new InMemoryApprovalStore());

    [Fact]
    public async Task Cancelled_waits_leave_no_waiter_behind()
    {
        var store = (InMemoryApprovalStore)Store;
        var request = await store.CreateOrGetAsync(NewRequest());
        using var cancellation = new CancellationTokenSource();
        var waits = Enumerable.Range(0, 5).Select(_ => store.WaitForResolutionAsync(request.Id, cancellation.Token).AsTask()).ToArray();
        Assert.Equal(5, store.WaiterCount);

        await cancellation.CancelAsync();
        foreach (var wait in waits)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(HangGuard));
        }

        Assert.Equal(0, store.WaiterCount);
    }

    [Fact]
    public async Task Woken_waits_leave_no_waiter_behind()
    {
        var store = (InMemoryApprovalStore)Store;
        var request = await store.CreateOrGetAsync(NewRequest());
        var wait = store.WaitForResolutionAsync(request.Id).AsTask();

        await store.RecordDecisionAsync(request.Id, Decision("bob"), Time.GetUtcNow().AddMinutes(1));
        await wait.WaitAsync(HangGuard);

        Assert.Equal(0, store.WaiterCount);
    }

    [Fact]
    public async Task Changing_the_list_given_to_the_store_does_not_change_the_stored_request()
    {
        var roles = new List<string> { "finance" };
        var request = await Store.CreateOrGetAsync(NewRequest(reviewerRoles: roles));

        roles[0] = "intern";

        Assert.Equal(["finance"], (await Store.GetAsync(request.Id))!.ReviewerRoles);
    }
}
