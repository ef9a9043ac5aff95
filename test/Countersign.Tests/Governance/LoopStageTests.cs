using Countersign.Governance;
using Microsoft.Extensions.Time.Testing;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class LoopStageTests
{
    [Fact]
    public async Task The_same_call_more_than_N_times_in_the_window_is_denied_and_other_payloads_are_not()
    {
        await using var harness = new GovernanceHarness(b => b.AddLoopDetection(o => o.MaxRepeats = 3));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("search", args: new { q = "same" }))).Kind);
        }

        var fourth = await harness.RunAsync(Call("search", args: new { q = "same" }));
        var otherPayload = await harness.RunAsync(Call("search", args: new { q = "other" }));
        var otherSession = await harness.RunAsync(Call("search", session: "s-2", args: new { q = "same" }));

        Assert.Equal("loop_detected", DenialCode(fourth));
        Assert.Equal("'search' was called 4 times with the same arguments within 60 s (at most 3 allowed)", Assert.IsType<ActionDeniedException>(fourth.Rejection).Reasons[0]);
        Assert.Equal(GateOutcomeKind.Executed, otherPayload.Kind);
        Assert.Equal(GateOutcomeKind.Executed, otherSession.Kind);
    }

    [Fact]
    public async Task The_window_slides_so_calls_spaced_out_are_allowed()
    {
        await using var harness = new GovernanceHarness(b => b.AddLoopDetection(o =>
        {
            o.MaxRepeats = 2;
            o.Window = TimeSpan.FromSeconds(10);
        }));

        await harness.RunAsync(Call("poll"));
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        await harness.RunAsync(Call("poll"));
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var third = await harness.RunAsync(Call("poll"));
        var fourth = await harness.RunAsync(Call("poll"));

        Assert.Equal(GateOutcomeKind.Executed, third.Kind);
        Assert.Equal("loop_detected", DenialCode(fourth));
    }

    [Fact]
    public async Task A_detected_loop_can_halt_the_agent_until_an_operator_resumes_it()
    {
        OnLoopDetectedArguments? detected = null;
        await using var harness = new GovernanceHarness(b => b.AddHalt().AddLoopDetection(o =>
        {
            o.MaxRepeats = 2;
            o.HaltAgent = true;
            o.OnLoopDetected = a => { detected = a; return ValueTask.CompletedTask; };
        }));

        await harness.RunAsync(Call("retry"));
        await harness.RunAsync(Call("retry"));
        var loop = await harness.RunAsync(Call("retry"));
        var afterwards = await harness.RunAsync(Call("anything_else"));

        Assert.Equal("loop_detected", DenialCode(loop));
        Assert.True(detected!.AgentHalted);
        Assert.Equal("agent_halted", DenialCode(afterwards));
        var halt = Assert.Single(await harness.Governance.GetHaltsAsync());
        Assert.Equal(("agent-1", "loops"), (halt.AgentId, halt.HaltedBy));
        Assert.Contains(await harness.EntriesAsync(), e => e.Kind == Audit.AuditEventKind.AgentHalted && e.DecisionSource == "loops");
    }

    [Fact]
    public void A_million_distinct_sessions_are_held_in_bounded_memory()
    {
        var clock = new FakeTimeProvider();
        var windows = new LoopWindows(5, TimeSpan.FromMinutes(1), 10_000, clock.GetTimestamp(), clock.TimestampFrequency);
        var peak = 0;

        for (var i = 0; i < 1_000_000; i++)
        {
            windows.Record(new LoopKey("agent", "session-" + i, "search", "hash"), clock.GetTimestamp());
            peak = Math.Max(peak, windows.Count);
        }

        Assert.InRange(peak, 5_000, 10_000);
    }

    [Fact]
    public void Idle_windows_are_evicted_after_two_windows()
    {
        var clock = new FakeTimeProvider();
        var windows = new LoopWindows(5, TimeSpan.FromMinutes(1), 1_000_000, clock.GetTimestamp(), clock.TimestampFrequency);
        for (var i = 0; i < 1_000; i++)
        {
            windows.Record(new LoopKey("agent", "session-" + i, "search", "hash"), clock.GetTimestamp());
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        windows.Record(new LoopKey("agent", "live", "search", "hash"), clock.GetTimestamp());
        clock.Advance(TimeSpan.FromMinutes(1));
        windows.Record(new LoopKey("agent", "live", "search", "hash"), clock.GetTimestamp());

        Assert.Equal(1, windows.Count);
    }

    [Fact]
    public void An_active_loop_keeps_its_count_across_generation_rotations()
    {
        var clock = new FakeTimeProvider();
        var windows = new LoopWindows(100, TimeSpan.FromMinutes(1), 4, clock.GetTimestamp(), clock.TimestampFrequency);
        var counts = new List<int>();

        for (var i = 0; i < 10; i++)
        {
            windows.Record(new LoopKey("agent", "noise-" + i, "t", "h"), clock.GetTimestamp());
            counts.Add(windows.Record(new LoopKey("agent", "loop", "t", "h"), clock.GetTimestamp()));
        }

        Assert.Equal(Enumerable.Range(1, 10), counts);
    }

    [Theory]
    [InlineData(0, 60, 10)]
    [InlineData(3, 0, 10)]
    [InlineData(3, 60, 1)]
    public void Invalid_loop_options_fail_the_build(int repeats, int windowSeconds, int tracked)
    {
        Assert.Throws<ArgumentException>(() => new ActionGateBuilder().UseEnvironment(_ => null).AddLoopDetection(o =>
        {
            o.MaxRepeats = repeats;
            o.Window = TimeSpan.FromSeconds(windowSeconds);
            o.MaxTrackedWindows = tracked;
        }).Build());
    }
}
