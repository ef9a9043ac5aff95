using System.Text.Json;
using Countersign.Audit;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class GuardTests
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
        .ForTool("refund", r => r.Allow())
        .ForTool("delete_user", r => r.Deny("never"))
        .ForTool("*", r => r.Allow())
        .Build();

    [Fact]
    public async Task Guarded_delegate_keeps_its_signature_and_captures_arguments_by_parameter_name()
    {
        var harness = new GateHarness(Policy);
        var refund = harness.Gate.Guard("refund", (string customerId, decimal amount) => $"refunded {amount} to {customerId}");

        var result = refund("cus_1", 40m);

        Assert.Equal("refunded 40 to cus_1", result);
        var requested = (await harness.AuditRecordsAsync()).First(r => r.Entry.ArgumentsJson is not null).Entry;
        using var args = JsonDocument.Parse(requested.ArgumentsJson!);
        Assert.Equal("cus_1", args.RootElement.GetProperty("customerId").GetString());
        Assert.Equal(40m, args.RootElement.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Payload_extractor_decides_what_the_policy_sees()
    {
        var harness = new GateHarness(Policy);
        var refund = harness.Gate.Guard(
            "refund",
            (string orderId, int cents) => Task.FromResult(cents),
            payload: (orderId, cents) => new { order_id = orderId, amount = cents / 100m });

        Assert.Equal(5000, await refund("pi_abc", 5000));
        var outcome = harness.Gate.Evaluate(ActionRequest.Create("refund", new { amount = 500m }));
        Assert.Equal(PolicyEffect.RequireApproval, outcome.Effect);
        var requested = (await harness.AuditRecordsAsync()).First(r => r.Entry.ArgumentsJson is not null).Entry;
        Assert.Contains("\"order_id\":\"pi_abc\"", requested.ArgumentsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Async_guard_holds_the_call_until_approved()
    {
        var harness = new GateHarness(Policy);
        var refund = harness.Gate.Guard("refund", async (string orderId, decimal amount) =>
        {
            await Task.Yield();
            return $"{orderId}:{amount}";
        }, options: new GuardOptions { RequestedBy = "refund-bot" });

        var call = refund("pi_1", 4000m);
        var request = await harness.Channel.NextAsync();
        await harness.DecideAsync(request.Id, "alice", approve: true);

        Assert.Equal("pi_1:4000", await call);
    }

    [Fact]
    public void Denied_tool_can_return_the_denial_message_to_the_agent()
    {
        var harness = new GateHarness(Policy);
        var delete = harness.Gate.Guard("delete_user", (string userId) => "deleted", options: new GuardOptions { ReturnDenialMessage = true });

        Assert.StartsWith("DENIED: 'delete_user'", delete("u_1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Returning_the_denial_message_needs_a_string_result()
    {
        var harness = new GateHarness(Policy);

        Assert.Throws<ArgumentException>(() => harness.Gate.Guard("delete_user", (string userId) => 1, options: new GuardOptions { ReturnDenialMessage = true }));
    }

    [Fact]
    public void Guarded_action_without_a_result_throws_when_denied()
    {
        var harness = new GateHarness(Policy);
        var ran = false;
        var delete = harness.Gate.Guard("delete_user", (string userId) => { ran = true; });

        Assert.Throws<ActionDeniedException>(() => delete("u_1"));
        Assert.False(ran);
    }

    [Fact]
    public async Task Imperative_form_guards_a_payload_and_a_call()
    {
        var harness = new GateHarness(Policy);

        var sent = harness.Gate.Guarded("email_send", new { to = "a@example.com", subject = "Your receipt" }, () => "sent");
        var sentAsync = await harness.Gate.GuardedAsync("email_send", new { to = "b@example.com" }, _ => Task.FromResult("sent"));

        Assert.Equal("sent", sent);
        Assert.Equal("sent", sentAsync);
    }

    [Fact]
    public async Task Payload_idempotency_makes_a_duplicate_call_re_attach_to_the_first_approval()
    {
        var harness = new GateHarness(configure: o => o.OnReview = OnReviewBehavior.FailClosed);
        var runs = 0;
        var refund = harness.Gate.Guard(
            "refund",
            (string customerId, decimal amount) => Task.FromResult($"refunded #{++runs}"),
            options: new GuardOptions { IdempotencyKey = IdempotencyKeys.FromPayload(harness.Gate.PayloadHasher), RequestedBy = "agent" });

        var first = await Assert.ThrowsAsync<ApprovalPendingException>(() => refund("cus_1", 4000m));
        var duplicate = await Assert.ThrowsAsync<ApprovalPendingException>(() => refund("cus_1", 4000m));

        Assert.Equal(first.ApprovalId, duplicate.ApprovalId);
        await harness.DecideAsync(first.ApprovalId, "alice", approve: true);
        Assert.Equal("refunded #1", await refund("cus_1", 4000m));
        Assert.Equal("refunded #1", await refund("cus_1", 4000m));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_cancellation_token_parameter_is_left_out_of_the_payload_and_flows_into_the_call()
    {
        var harness = new GateHarness(Policy);
        CancellationToken seen = default;
        var refund = harness.Gate.Guard("refund", (string orderId, decimal amount, CancellationToken cancellationToken) =>
        {
            seen = cancellationToken;
            return Task.FromResult($"{orderId}:{amount}");
        });
        using var cts = new CancellationTokenSource();

        Assert.Equal("o1:5", await refund("o1", 5m, cts.Token));

        Assert.Equal(cts.Token, seen);
        var args = (await harness.AuditRecordsAsync()).First(r => r.Entry.ArgumentsJson is not null).Entry.ArgumentsJson;
        Assert.Equal("{\"amount\":5,\"orderId\":\"o1\"}", args);
    }

    [Fact]
    public async Task Cancelling_a_guarded_call_stops_its_wait_for_a_reviewer()
    {
        var harness = new GateHarness(Policy);
        var ran = false;
        var refund = harness.Gate.Guard("refund", (string orderId, decimal amount, CancellationToken cancellationToken) =>
        {
            ran = true;
            return Task.FromResult("refunded");
        });
        using var cts = new CancellationTokenSource();

        var call = refund("o1", 4000m, cts.Token);
        await harness.Channel.NextAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.False(ran);
    }
}
