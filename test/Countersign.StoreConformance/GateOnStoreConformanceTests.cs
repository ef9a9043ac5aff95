using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Policy;

namespace Countersign.StoreConformance;

/// <summary>
/// The gate's promises on a real store, through two gates that share one database as two processes would: exactly one
/// execution per approval and per idempotency key, decisions made through one released in the other, one audit chain,
/// and redacted values never stored.
/// </summary>
public abstract class GateOnStoreConformanceTests : IAsyncLifetime
{
    private const string CardNumber = "4111111111111111";
    private readonly List<ActionGate> _gates = [];

    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval().Redact("card"))
        .ForTool("refund", r => r.Allow().Redact("card"))
        .Build();

    /// <summary>Opens a store on the test's database: the first call creates it, later calls open more instances of it.</summary>
    /// <returns>A store instance the gate owns and disposes.</returns>
    protected abstract ICountersignStore OpenStore();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var gate in _gates)
        {
            await gate.DisposeAsync();
        }
    }

    private ActionGate Gate(OnReviewBehavior onReview = OnReviewBehavior.FailClosed)
    {
        var gate = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseStore(_ => OpenStore())
            .UseEnvironment(_ => null)
            .Configure(o => o.OnReview = onReview)
            .Build();
        _gates.Add(gate);
        return gate;
    }

    private static ActionRequest Refund(decimal amount, string key) => new()
    {
        ToolName = "refund",
        Arguments = ActionArguments.From(new { order_id = "ord_9", amount, card = CardNumber }),
        RequestedBy = "refund-bot",
        IdempotencyKey = key,
    };

    [Fact]
    public async Task Two_gates_racing_for_one_granted_approval_run_it_once()
    {
        var first = Gate();
        var second = Gate();
        var pending = Assert.IsType<ApprovalPendingException>((await first.ExecuteOutcomeAsync(Refund(900, "race"), _ => new ValueTask<int>(0))).Rejection);
        await second.Reviews.ApproveAsync(pending.ApprovalId, "alice", "test");
        var runs = 0;
        ValueTask<int> Run(CancellationToken _) => new(Interlocked.Increment(ref runs));

        var outcomes = await Task.WhenAll(
            Task.Run(() => first.ExecuteOutcomeAsync(Refund(900, "race"), Run)),
            Task.Run(() => second.ExecuteOutcomeAsync(Refund(900, "race"), Run)));

        Assert.Equal(1, runs);
        var winner = Assert.Single(outcomes, o => o.Kind == GateOutcomeKind.Executed && o.ReplayOf is null);
        var loser = Assert.Single(outcomes, o => o != winner);
        if (loser.Kind == GateOutcomeKind.Executed)
        {
            Assert.Equal(winner.ActionId, loser.ReplayOf);
        }
        else
        {
            Assert.Equal(DenialReason.AlreadyExecuted, Assert.IsType<ActionDeniedException>(loser.Rejection).DenialReason);
        }
    }

    [Fact]
    public async Task An_allowed_call_retried_through_another_gate_runs_once_and_gets_the_first_result()
    {
        var first = Gate();
        var second = Gate();
        var runs = 0;

        var original = await first.ExecuteOutcomeAsync(Refund(40, "small"), _ => new ValueTask<string>($"re_{++runs}"));
        var retry = await second.ExecuteOutcomeAsync(Refund(40, "small"), _ => new ValueTask<string>($"re_{++runs}"));

        Assert.Equal(1, runs);
        Assert.Equal("re_1", retry.Result);
        Assert.Equal(original.ActionId, retry.ReplayOf);
    }

    [Fact]
    public async Task A_denial_through_one_gate_reaches_the_caller_of_the_other_with_the_comment()
    {
        var agent = Gate();
        var reviewer = Gate();
        var pending = Assert.IsType<ApprovalPendingException>((await agent.ExecuteOutcomeAsync(Refund(900, "deny"), _ => new ValueTask<int>(1))).Rejection);

        await reviewer.Reviews.DenyAsync(pending.ApprovalId, "bob", "test", "refund to the original card only");
        var retry = await agent.ExecuteOutcomeAsync(Refund(900, "deny"), _ => new ValueTask<int>(1));

        var denied = Assert.IsType<ActionDeniedException>(retry.Rejection);
        Assert.Equal(DenialReason.Reviewer, denied.DenialReason);
        Assert.Contains("refund to the original card only", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_gates_write_one_audit_chain_that_verifies_and_never_holds_a_redacted_value()
    {
        var first = Gate();
        var second = Gate();
        await first.ExecuteOutcomeAsync(Refund(40, "a"), _ => new ValueTask<string>("ok"));
        var pending = Assert.IsType<ApprovalPendingException>((await second.ExecuteOutcomeAsync(Refund(900, "b"), _ => new ValueTask<int>(1))).Rejection);
        await first.Reviews.ApproveAsync(pending.ApprovalId, "alice", "test");
        await second.ExecuteOutcomeAsync(Refund(900, "b"), _ => new ValueTask<string>("ok"));

        Assert.True((await second.AuditLog.VerifyAsync()).IsValid);
        var entries = new List<AuditEntry>();
        await foreach (var record in first.AuditLog.ReadAsync())
        {
            entries.Add(record.Entry);
        }

        // Allowed: authorized, outcome. Approved: approval_requested, reviewed, authorized, outcome.
        Assert.Equal(6, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain(CardNumber, e.ArgumentsJson ?? string.Empty, StringComparison.Ordinal));
        var approval = await second.Approvals.GetAsync(pending.ApprovalId);
        Assert.DoesNotContain(CardNumber, approval!.RedactedArgumentsJson, StringComparison.Ordinal);
        Assert.Contains("***", approval.RedactedArgumentsJson, StringComparison.Ordinal);
    }
}
