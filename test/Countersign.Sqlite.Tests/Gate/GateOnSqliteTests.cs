using Countersign.Pipeline;
using System.Text;
using Countersign.Approvals;
using Countersign.Policy;
using Countersign.Sqlite;

namespace Countersign.Sqlite.Tests.Gate;

public sealed class GateOnSqliteTests : IDisposable
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval().Redact("card.number"))
        .ForTool("refund", r => r.Allow().Redact("card.number"))
        .ForTool("wipe", r => r.Deny("never").Redact("token"))
        .Build();

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private readonly NotifiedChannel _notified = new();

    private ActionGate OpenGate(OnReviewBehavior onReview = OnReviewBehavior.FailClosed, TimeSpan? poll = null) => new ActionGateBuilder()
        .UsePolicy(Policy)
        .AddChannel(_notified)
        .UseSqlite(_database.Path, o => o.ChangePollInterval = poll ?? TimeSpan.FromMilliseconds(20))
        .UseEnvironment(_ => null)
        .Configure(o => o.OnReview = onReview)
        .Build();

    private static ActionRequest Refund(decimal amount, string key, string card = "4111111111111111") => new()
    {
        ToolName = "refund",
        Arguments = ActionArguments.From(new { order_id = "ord_7", amount, card = new { number = card, brand = "visa-marker-7731" } }),
        RequestedBy = "refund-bot",
        IdempotencyKey = key,
    };

    [Fact]
    public async Task A_pending_approval_survives_a_restart_and_the_caller_re_attaches_by_idempotency_key()
    {
        string approvalId;
        await using (var before = OpenGate())
        {
            var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => before.ExecuteAsync(Refund(900, "refund-ord_7"), _ => new ValueTask<int>(1)));
            approvalId = pending.ApprovalId;
        }

        await using var after = OpenGate();
        var found = await after.Approvals.FindByIdempotencyKeyAsync("refund-ord_7");
        Assert.Equal(approvalId, found!.Id);
        Assert.Equal(ApprovalStatus.Pending, found.Status);
        Assert.True((await after.Reviews.DecideAsync(approvalId, "alice", true, "ok after restart", "test")).IsRecorded);
        var runs = 0;

        var result = await after.ExecuteAsync(Refund(900, "refund-ord_7"), _ => new ValueTask<int>(++runs));

        Assert.Equal(1, result);

        // A retry after the run gets the first result from the ledger in the file, and does not run again.
        var retry = await after.ExecuteOutcomeAsync(Refund(900, "refund-ord_7"), _ => new ValueTask<int>(++runs));
        Assert.Equal(1, retry.Result);
        Assert.NotNull(retry.ReplayOf);
        Assert.Equal(1, runs);
        Assert.True((await after.AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task A_blocked_caller_after_a_restart_is_woken_by_a_decision_from_another_process_s_store()
    {
        await using (var before = OpenGate())
        {
            await Assert.ThrowsAsync<ApprovalPendingException>(() => before.ExecuteAsync(Refund(900, "k-restart"), _ => new ValueTask<int>(1)));
        }

        await using var waiting = OpenGate(OnReviewBehavior.Block);
        await using var reviewer = SqliteStore.Open(_database.Options());
        var call = waiting.ExecuteAsync(Refund(900, "k-restart"), _ => new ValueTask<string>("refunded"));
        var pending = (await reviewer.Approvals.FindByIdempotencyKeyAsync("k-restart"))!;
        var recorder = new ReviewRecorder(reviewer.Approvals, reviewer.AuditLog, TimeProvider.System, TimeSpan.FromMinutes(5));

        await recorder.DecideAsync(pending.Id, "alice", true, null, "web");

        Assert.Equal("refunded", await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Two_gates_on_one_file_racing_for_one_approval_execute_it_exactly_once()
    {
        await using var first = OpenGate(OnReviewBehavior.Block);
        await using var second = OpenGate(OnReviewBehavior.Block);
        var runs = 0;
        ValueTask<int> Refund900(CancellationToken _) => new(Interlocked.Increment(ref runs));

        var waiters = new List<Task<GateOutcome<int>>>();
        for (var i = 0; i < 4; i++)
        {
            waiters.Add(Task.Run(() => first.ExecuteOutcomeAsync(Refund(900, "race"), Refund900)));
            waiters.Add(Task.Run(() => second.ExecuteOutcomeAsync(Refund(900, "race"), Refund900)));
        }

        var pending = await _notified.FirstAsync;

        await second.Reviews.DecideAsync(pending.Id, "alice", true, null, "test");
        var outcomes = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, runs);
        var winner = Assert.Single(outcomes, o => o.Kind == GateOutcomeKind.Executed && o.ReplayOf is null);

        // Losers never run: they get the winner's result, or, while it still runs, a denial naming it.
        Assert.All(outcomes.Where(o => o != winner), o =>
        {
            if (o.Kind == GateOutcomeKind.Executed)
            {
                Assert.Equal(winner.ActionId, o.ReplayOf);
            }
            else
            {
                Assert.Equal(DenialReason.AlreadyExecuted, ((ActionDeniedException)o.Rejection!).DenialReason);
            }
        });
        Assert.True((await first.AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Redacted_fields_never_reach_the_database_file()
    {
        const string Secret = "4929000000006781";
        const string Token = "tok_live_51HSecretValue";
        await using (var gate = OpenGate(OnReviewBehavior.Block))
        {
            await gate.ExecuteAsync(Refund(50, "small", Secret), _ => new ValueTask<object>(new { ok = true, card = new { number = Secret } }));
            var big = gate.ExecuteAsync(Refund(5000, "big", Secret), _ => new ValueTask<int>(1));
            var pending = await _notified.FirstAsync;

            await gate.Reviews.DecideAsync(pending.Id, "alice", false, "not this card", "test");
            await Assert.ThrowsAsync<ActionDeniedException>(() => big);
            await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(ActionRequest.Create("wipe", new { token = Token, note = "wipe-marker-5521" }), _ => new ValueTask<int>(1)));
        }

        var bytes = Directory.EnumerateFiles(_database.Directory).SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(Contains(bytes, "visa-marker-7731"), "the scan must see fields that are not redacted");
        Assert.True(Contains(bytes, "wipe-marker-5521"), "the scan must see fields that are not redacted");
        Assert.False(Contains(bytes, Secret), "a redacted card number reached the database files");
        Assert.False(Contains(bytes, Token), "a redacted token reached the database files");
    }

    [Fact]
    public async Task A_closed_store_denies_instead_of_running()
    {
        var store = SqliteStore.Open(_database.Options());
        await using var gate = new ActionGateBuilder().UsePolicy(Policy).UseSqlite(store).UseEnvironment(_ => null).Build();
        await store.DisposeAsync();
        var ran = false;

        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(Refund(50, "after-close"), _ =>
        {
            ran = true;
            return new ValueTask<int>(1);
        }));

        Assert.False(ran);
        Assert.Equal(DenialReason.StoreUnavailable, denied.DenialReason);
    }

    private sealed class NotifiedChannel : Countersign.Channels.IApprovalChannel
    {
        private readonly TaskCompletionSource<ApprovalRequest> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "test";

        public Task<ApprovalRequest> FirstAsync => _first.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
        {
            _first.TrySetResult(request);
            return ValueTask.CompletedTask;
        }
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;
}
