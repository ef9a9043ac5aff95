using Countersign.Approvals;
using Countersign.Audit;

namespace Countersign.Sqlite.Tests;

/// <summary>
/// Two store instances on one file stand for two processes: each has its own connections and its own in-process
/// wake-ups, so only the file connects them.
/// </summary>
public sealed class SqliteMultiProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortPoll = TimeSpan.FromMilliseconds(20);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();
    private SqliteStore _a = null!;
    private SqliteStore _b = null!;

    public async Task InitializeAsync()
    {
        _a = await SqliteStore.OpenAsync(_database.Options(pollInterval: ShortPoll));
        _b = await SqliteStore.OpenAsync(_database.Options(pollInterval: ShortPoll));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _database.Dispose();
    }

    private static ApprovalRequest Request(string? idempotencyKey = null) => new()
    {
        Id = "apr-" + Guid.NewGuid().ToString("N"),
        ActionId = "act-1",
        ToolName = "refund",
        PayloadHash = "hash-1",
        RedactedArgumentsJson = "{}",
        RequestedBy = "alice",
        IdempotencyKey = idempotencyKey,
        CreatedAt = At,
        ExpiresAt = At.AddHours(1),
    };

    private static Review Approve(string reviewer) => new(reviewer, true, null, At.AddMinutes(1), "web");

    private static AuditEntry Entry(string actionId, AuditEventKind kind) => new() { Timestamp = At, Kind = kind, ActionId = actionId, ToolName = "refund" };

    [Fact]
    public async Task Exactly_one_consumer_wins_when_two_processes_race_for_a_grant()
    {
        var request = await _a.Approvals.CreateOrGetAsync(Request());
        await _b.Approvals.RecordReviewAsync(request.Id, Approve("bob"), At.AddMinutes(30));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var store = i % 2 == 0 ? _a.Approvals : _b.Approvals;
            return await store.TryConsumeAsync(request.Id, "hash-1", At.AddMinutes(2));
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers).WaitAsync(HangGuard);

        Assert.Equal(1, results.Count(won => won));
        Assert.Equal(ApprovalStatus.Consumed, (await _a.Approvals.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Two_processes_creating_with_one_idempotency_key_share_one_request()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var creates = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? _a : _b).Approvals.CreateOrGetAsync(Request("order-42"));
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(creates).WaitAsync(HangGuard);

        Assert.Single(results.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_decision_made_by_another_process_wakes_the_waiter()
    {
        var request = await _a.Approvals.CreateOrGetAsync(Request());
        var wait = _a.Approvals.WaitForResolutionAsync(request.Id).AsTask();

        await _b.Approvals.RecordReviewAsync(request.Id, Approve("bob"), At.AddMinutes(30));
        var resolved = await wait.WaitAsync(HangGuard);

        Assert.Equal(ApprovalStatus.Granted, resolved.Status);
        Assert.Equal("bob", Assert.Single(resolved.Decisions).Reviewer);
    }

    [Fact]
    public async Task An_expiry_recorded_by_another_process_wakes_the_waiter()
    {
        var request = await _a.Approvals.CreateOrGetAsync(Request());
        var wait = _a.Approvals.WaitForResolutionAsync(request.Id).AsTask();

        Assert.True(await _b.Approvals.TryExpireAsync(request.Id, request.ExpiresAt));

        Assert.Equal(ApprovalStatus.Expired, (await wait.WaitAsync(HangGuard)).Status);
    }

    [Fact]
    public async Task Waiters_on_many_requests_wake_each_on_its_own_decision_from_another_process()
    {
        var requests = new List<ApprovalRequest>();
        for (var i = 0; i < 20; i++)
        {
            requests.Add(await _a.Approvals.CreateOrGetAsync(Request()));
        }

        var waits = requests.Select(r => _a.Approvals.WaitForResolutionAsync(r.Id).AsTask()).ToArray();
        for (var i = 0; i < requests.Count; i += 2)
        {
            await _b.Approvals.RecordReviewAsync(requests[i].Id, Approve("bob"), At.AddMinutes(30));
        }

        await Task.WhenAll(waits.Where((_, i) => i % 2 == 0)).WaitAsync(HangGuard);

        Assert.All(waits.Where((_, i) => i % 2 == 1), w => Assert.False(w.IsCompleted));
        for (var i = 1; i < requests.Count; i += 2)
        {
            await _b.Approvals.RecordReviewAsync(requests[i].Id, new Review("bob", false, "no", At.AddMinutes(1), "web"), At.AddMinutes(30));
        }

        var all = await Task.WhenAll(waits).WaitAsync(HangGuard);
        Assert.Equal(10, all.Count(r => r.Status == ApprovalStatus.Denied));
    }

    [Fact]
    public async Task Nothing_is_polled_while_nobody_waits()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At);
        await using var idle = await SqliteStore.OpenAsync(_database.Options(time, ShortPoll));
        var request = await _b.Approvals.CreateOrGetAsync(Request());

        await _b.Approvals.RecordReviewAsync(request.Id, Approve("bob"), At.AddMinutes(30));
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, idle.Approvals.Rechecks);
        Assert.Equal(ApprovalStatus.Granted, (await idle.Approvals.WaitForResolutionAsync(request.Id)).Status);
    }

    [Fact]
    public async Task Appends_from_two_processes_extend_one_valid_chain()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            var log = caller % 2 == 0 ? _a.AuditLog : _b.AuditLog;
            for (var i = 0; i < 25; i++)
            {
                var actionId = $"{caller}-{i}";
                await log.AppendAsync([Entry(actionId, AuditEventKind.ApprovalRequested), Entry(actionId, AuditEventKind.Authorized)]);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(HangGuard);
        var fromA = await _a.AuditLog.VerifyAsync();
        var fromB = await _b.AuditLog.VerifyAsync();
        var records = new List<AuditRecord>();
        await foreach (var record in _b.AuditLog.ReadAsync())
        {
            records.Add(record);
        }

        Assert.True(fromA.IsValid, fromA.Problem);
        Assert.True(fromB.IsValid, fromB.Problem);
        Assert.Equal(16 * 25 * 2, records.Count);
        for (var i = 0; i < records.Count; i += 2)
        {
            Assert.Equal(records[i].Entry.ActionId, records[i + 1].Entry.ActionId);
        }
    }

    [Fact]
    public async Task Concurrent_appends_share_transactions()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 20; i++)
            {
                await _a.AuditLog.AppendAsync([Entry($"{caller}-{i}", AuditEventKind.ApprovalRequested)]);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(HangGuard);

        Assert.True(_a.AuditLog.TransactionsCommitted < 32 * 20, $"{_a.AuditLog.TransactionsCommitted} transactions for {32 * 20} appends");
    }
}
