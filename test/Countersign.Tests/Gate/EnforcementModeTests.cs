using Countersign.Audit;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class EnforcementModeTests
{
    private static readonly ActionPolicy DenyDeletes = new PolicyBuilder()
        .ForTool("delete_user", r => r.Deny("never"))
        .ForTool("*", r => r.Allow())
        .Build();

    [Fact]
    public async Task Shadow_mode_runs_a_denied_call_and_records_that_it_would_have_blocked()
    {
        var harness = new GateHarness(DenyDeletes, o => o.EnforcementMode = EnforcementMode.Shadow);

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user", new { id = 1 }), _ => new ValueTask<string>("deleted"));

        Assert.Equal(GateOutcomeKind.Executed, outcome.Kind);
        Assert.Equal(ExecutionPath.ShadowMode, outcome.Path);
        Assert.True(outcome.WouldBlock);
        var verdict = (await harness.AuditRecordsAsync()).Single(r => r.Entry.Kind == AuditEventKind.Authorized).Entry;
        Assert.Equal("deny", verdict.Verdict);
        Assert.True(verdict.WouldBlock);
        Assert.Equal("shadow", verdict.Mode);
    }

    [Fact]
    public async Task Shadow_mode_runs_a_call_that_needs_approval_without_creating_a_request()
    {
        var harness = new GateHarness(ActionPolicy.RequireApprovalForAll, o => o.EnforcementMode = EnforcementMode.Shadow);

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("deploy"), _ => new ValueTask<int>(7));

        Assert.Equal(7, outcome.Result);
        Assert.True(outcome.WouldBlock);
        Assert.Empty(harness.Channel.Notified);
    }

    [Fact]
    public async Task Environment_variable_switches_to_shadow_without_a_code_change()
    {
        var harness = new GateHarness(DenyDeletes, environment: new Dictionary<string, string> { ["COUNTERSIGN_ENFORCEMENT_MODE"] = "shadow" });

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user"), _ => new ValueTask<int>(1));

        Assert.Equal(EnforcementMode.Shadow, harness.Gate.EnforcementMode);
        Assert.Equal(ExecutionPath.ShadowMode, outcome.Path);
    }

    [Fact]
    public void Invalid_environment_value_fails_at_build_naming_the_variable()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new GateHarness(DenyDeletes, environment: new Dictionary<string, string> { ["COUNTERSIGN_ENFORCEMENT_MODE"] = "sometimes" }));

        Assert.Contains("COUNTERSIGN_ENFORCEMENT_MODE", error.Message, StringComparison.Ordinal);
        Assert.Contains("enforce | shadow | sample", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_mode_enforces_the_same_call_the_same_way_every_time()
    {
        var harness = new GateHarness(DenyDeletes, o =>
        {
            o.EnforcementMode = EnforcementMode.Sample;
            o.SamplePercent = 50;
        });

        for (var i = 0; i < 20; i++)
        {
            var key = $"call-{i}";
            var first = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user") with { IdempotencyKey = key }, _ => new ValueTask<int>(1));
            var second = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user") with { IdempotencyKey = key }, _ => new ValueTask<int>(1));
            Assert.Equal(first.Kind, second.Kind);
        }
    }

    [Fact]
    public async Task Sample_mode_enforces_about_the_configured_share_of_calls()
    {
        var harness = new GateHarness(DenyDeletes, o =>
        {
            o.EnforcementMode = EnforcementMode.Sample;
            o.SamplePercent = 25;
        });

        var enforced = 0;
        const int calls = 2000;
        for (var i = 0; i < calls; i++)
        {
            var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user") with { IdempotencyKey = $"k{i}" }, _ => new ValueTask<int>(1));
            enforced += outcome.Kind == GateOutcomeKind.Denied ? 1 : 0;
        }

        Assert.InRange(enforced, calls * 0.20, calls * 0.30);
    }

    [Theory]
    [InlineData(0, GateOutcomeKind.Executed)]
    [InlineData(100, GateOutcomeKind.Denied)]
    public async Task Sample_mode_at_the_extremes_is_pure_shadow_or_pure_enforcement(double percent, GateOutcomeKind expected)
    {
        var harness = new GateHarness(DenyDeletes, o =>
        {
            o.EnforcementMode = EnforcementMode.Sample;
            o.SamplePercent = percent;
        });

        var outcome = await harness.Gate.ExecuteOutcomeAsync(ActionRequest.Create("delete_user"), _ => new ValueTask<int>(1));

        Assert.Equal(expected, outcome.Kind);
    }

    [Fact]
    public void Options_are_validated_with_every_problem_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new GateHarness(configure: o =>
        {
            o.SamplePercent = 150;
            o.ReviewTimeout = TimeSpan.Zero;
            o.MaxPayloadBytes = 0;
        }));

        Assert.Contains("SamplePercent", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReviewTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPayloadBytes", error.Message, StringComparison.Ordinal);
    }
}
