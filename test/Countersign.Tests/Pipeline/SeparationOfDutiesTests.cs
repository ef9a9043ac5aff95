using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Pipeline;

public sealed class SeparationOfDutiesTests
{
    [Fact]
    public async Task A_call_that_needs_approval_and_names_nobody_is_denied_and_audited()
    {
        var harness = new GateHarness(configure: o => o.DefaultRequestedBy = null);

        var ran = false;

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("deploy", new { env = "prod" }), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        });

        Assert.False(ran);
        var denied = Assert.IsType<ActionDeniedException>(outcome.Rejection);
        Assert.Equal(DenialReason.NoRequester, denied.DenialReason);
        Assert.Contains("RequestedBy or AgentId", denied.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Channel.Notified);
        var entry = Assert.Single(await harness.AuditRecordsAsync()).Entry;
        Assert.Equal(AuditEventKind.Outcome, entry.Kind);
        Assert.Equal("no_requester", entry.DenialCode);
    }

    [Fact]
    public async Task An_agent_id_alone_names_the_call_well_enough_to_hold_it()
    {
        var harness = new GateHarness(configure: o =>
        {
            o.DefaultRequestedBy = null;
            o.OnReview = OnReviewBehavior.FailClosed;
        });

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("deploy") with { AgentId = "deploy-bot" }, _ => new ValueTask<int>(1));

        Assert.Equal(GateOutcomeKind.Pending, outcome.Kind);
    }
}
