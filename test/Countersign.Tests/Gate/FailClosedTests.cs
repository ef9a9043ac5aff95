using Countersign.Audit;
using Countersign.Policy;
using Countersign.Tests.Fakes;

namespace Countersign.Tests.Gate;

public sealed class FailClosedTests
{
    [Fact]
    public async Task Store_down_on_an_enforcement_path_denies()
    {
        var harness = new GateHarness(store: new UnavailableApprovalStore());
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        }));

        Assert.False(ran);
        Assert.Equal(DenialKind.StoreUnavailable, denied.Kind);
        Assert.IsType<CountersignStoreException>(denied.InnerException);
    }

    [Fact]
    public async Task Audit_failure_before_the_call_denies_it()
    {
        var audit = new FailingAuditLog(new InMemoryAuditLog()) { FailAll = true };
        var harness = new GateHarness(ActionPolicy.AllowAll, audit: audit);
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(ActionRequest.Create("read_record"), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        }));

        Assert.False(ran);
        Assert.Equal(DenialKind.StoreUnavailable, denied.Kind);
    }

    [Fact]
    public async Task Audit_failure_after_the_call_ran_never_turns_the_result_into_an_exception()
    {
        var audit = new FailingAuditLog(new InMemoryAuditLog()) { FailOn = AuditEventKind.Outcome };
        var harness = new GateHarness(ActionPolicy.AllowAll, audit: audit);

        var result = await harness.Gate.ExecuteAsync(ActionRequest.Create("read_record"), _ => new ValueTask<string>("the record"));

        Assert.Equal("the record", result);
    }

    [Fact]
    public async Task A_channel_that_throws_leaves_the_request_pending_and_the_call_waiting()
    {
        var store = new Countersign.Approvals.InMemoryApprovalStore();
        var gate = new ActionGateBuilder()
            .UseApprovalStore(store)
            .UseEnvironment(_ => null)
            .AddChannel(new ThrowingChannel())
            .Configure(o => o.OnReview = OnReviewBehavior.FailClosed)
            .Build();

        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(ActionRequest.Create("deploy") with { RequestedBy = "deploy-bot" }, _ => new ValueTask<int>(1)));

        Assert.Equal(Countersign.Approvals.ApprovalStatus.Pending, (await store.GetAsync(pending.ApprovalId))!.Status);
    }

    private sealed class ThrowingChannel : Countersign.Channels.IApprovalChannel
    {
        public string Name => "broken";

        public ValueTask NotifyAsync(Countersign.Approvals.ApprovalRequest request, Countersign.Approvals.ReviewRecorder reviews, CancellationToken cancellationToken) =>
            throw new HttpRequestException("webhook unreachable");
    }
}
