using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Pipeline;

public sealed class PipelineStageTests
{
    private static readonly DenialReason OutOfHours = new("business_hours", "denied outside business hours");

    private static ActionPolicy AllowRefunds() => new PolicyBuilder().ForTool("refund", r => r.Allow()).Build();

    private sealed class BusinessHoursStage(TimeProvider clock) : GateStage
    {
        public List<(string ActionId, bool Ran)> Completed { get; } = [];

        public override string Name => "business_hours";

        public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken) =>
            clock.GetUtcNow().Hour is >= 8 and < 18
                ? StageResult.ContinueTask
                : ValueTask.FromResult(StageResult.Deny(OutOfHours, "calls run between 08:00 and 18:00 UTC"));

        public override ValueTask CompleteAsync(GateContext context, CancellationToken cancellationToken)
        {
            lock (Completed)
            {
                Completed.Add((context.ActionId, context.Outcome is not null));
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingStage : GateStage
    {
        public override string Name => "broken";

        public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the quota service is down");
    }

    private static GateHarness HarnessWith(GateStage stage, GateStagePlacement placement = GateStagePlacement.BeforePolicy)
        => new(AllowRefunds(), builder: b => b.AddStage(stage, placement));

    [Fact]
    public async Task A_stage_of_your_own_denies_with_its_own_code_and_the_denial_is_audited()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero));
        var stage = new BusinessHoursStage(clock);
        var harness = HarnessWith(stage);
        var ran = false;

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(5), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        });

        Assert.False(ran);
        var denied = Assert.IsType<ActionDeniedException>(outcome.Rejection);
        Assert.Equal("business_hours", denied.DenialReason.Code);
        Assert.Contains("08:00 and 18:00", denied.Message, StringComparison.Ordinal);
        var entry = Assert.Single(await harness.AuditRecordsAsync()).Entry;
        Assert.Equal(AuditEventKind.Outcome, entry.Kind);
        Assert.Equal("business_hours", entry.DenialCode);
        Assert.False(entry.Executed);
    }

    [Fact]
    public async Task A_stage_learns_how_the_call_it_passed_ended()
    {
        var harness = new GateHarness(AllowRefunds());
        var stage = new BusinessHoursStage(harness.Clock);
        harness = HarnessWith(stage);

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(5), _ => new ValueTask<int>(1));

        Assert.Equal(GateOutcomeKind.Executed, outcome.Kind);
        Assert.Equal([(outcome.ActionId, true)], stage.Completed);
    }

    [Fact]
    public async Task A_stage_that_throws_denies_the_call_instead_of_letting_it_through()
    {
        var harness = HarnessWith(new ThrowingStage(), GateStagePlacement.BeforeExecution);
        var ran = false;

        var outcome = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(5), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        });

        Assert.False(ran);
        var denied = Assert.IsType<ActionDeniedException>(outcome.Rejection);
        Assert.Equal(DenialReason.StageFailed, denied.DenialReason);
        Assert.Contains("quota service is down", denied.Message, StringComparison.Ordinal);
        Assert.Equal("stage_failed", (await harness.AuditRecordsAsync()).Single().Entry.DenialCode);
    }

    [Fact]
    public void Stages_run_in_the_documented_order()
    {
        var harness = HarnessWith(new ThrowingStage());

        Assert.Equal(["broken", "policy", "mode", "approval", "execution"], harness.Gate.Stages.Select(s => s.Name));
    }
}
