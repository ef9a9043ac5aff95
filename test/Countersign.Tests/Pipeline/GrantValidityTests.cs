using Countersign.Approvals;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Pipeline;

public sealed class GrantValidityTests
{
    [Fact]
    public async Task A_reviewer_outside_the_gate_grants_for_as_long_as_the_gate_was_set_up_to_allow()
    {
        var harness = new GateHarness(configure: o =>
        {
            o.OnReview = OnReviewBehavior.FailClosed;
            o.GrantValidity = TimeSpan.FromMinutes(2);
        });
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => harness.Gate.ExecuteAsync(GateHarness.Refund(900, key: "k"), _ => new ValueTask<int>(1)));

        // A reviewer process knows only the store and the audit log, and its own default validity (15 minutes).
        var elsewhere = new ReviewRecorder(harness.Store, harness.Audit, harness.Clock);
        var result = await elsewhere.ApproveAsync(pending.ApprovalId, "alice", "web");

        Assert.Equal(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(2), result.Request!.GrantExpiresAt);
        Assert.Equal(TimeSpan.FromMinutes(2), result.Request.GrantValidity);
    }
}
