using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Pipeline;

public sealed class IdempotencyTests
{
    private static ActionPolicy AllowAll() => new PolicyBuilder().ForTool("*", r => r.Allow()).Build();

    [Fact]
    public async Task An_allowed_call_retried_with_its_key_runs_once_and_the_retry_gets_the_first_result()
    {
        var harness = new GateHarness(AllowAll());
        var runs = 0;
        ValueTask<string> Refund(CancellationToken _) => new($"re_{++runs}");

        var first = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-1"), Refund);
        var retry = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-1"), Refund);

        Assert.Equal(1, runs);
        Assert.Equal("re_1", first.Result);
        Assert.Equal("re_1", retry.Result);
        Assert.Equal(first.ActionId, retry.ReplayOf);
        Assert.NotEqual(first.ActionId, retry.ActionId);
    }

    [Fact]
    public async Task A_retry_whose_result_was_not_recorded_is_told_which_action_ran_it()
    {
        var harness = new GateHarness(AllowAll(), o => o.AuditResults = false);
        var first = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-2"), _ => new ValueTask<int>(7));

        var retry = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-2"), _ => new ValueTask<int>(8));

        var denied = Assert.IsType<ActionDeniedException>(retry.Rejection);
        Assert.Equal(DenialReason.AlreadyExecuted, denied.DenialReason);
        Assert.Contains($"already executed as action {first.ActionId}", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_reused_for_another_payload_never_runs_it()
    {
        var harness = new GateHarness(AllowAll());
        await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-3"), _ => new ValueTask<int>(1));
        var ran = false;

        var other = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(4000, key: "order-3"), _ =>
        {
            ran = true;
            return new ValueTask<int>(2);
        });

        Assert.False(ran);
        Assert.Contains("different payload", Assert.IsType<ActionDeniedException>(other.Rejection).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_execution_is_not_run_again_and_the_retry_sees_its_error()
    {
        var harness = new GateHarness(AllowAll());
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Gate.ExecuteAsync<int>(GateHarness.Refund(40, key: "order-4"), _ => throw new InvalidOperationException("card declined")));

        var retry = await harness.Gate.ExecuteOutcomeAsync(GateHarness.Refund(40, key: "order-4"), _ => new ValueTask<int>(1));

        Assert.Contains("card declined", Assert.IsType<ActionDeniedException>(retry.Rejection).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redacted_result_is_never_replayed_in_clear_or_masked()
    {
        var policy = new PolicyBuilder().ForTool("lookup", r => r.Allow().Redact("ssn")).Build();
        var harness = new GateHarness(policy);
        var request = ActionRequest.Create("lookup", new { customer = "c1" }) with { IdempotencyKey = "lookup-1" };
        await harness.Gate.ExecuteOutcomeAsync(request, _ => new ValueTask<Person>(new Person("123-45-6789")));

        var retry = await harness.Gate.ExecuteOutcomeAsync(request, _ => new ValueTask<Person>(new Person("x")));

        Assert.Equal(GateOutcomeKind.Denied, retry.Kind);
        Assert.Equal(DenialReason.AlreadyExecuted, Assert.IsType<ActionDeniedException>(retry.Rejection).DenialReason);
    }

    public sealed record Person(string Ssn);
}
