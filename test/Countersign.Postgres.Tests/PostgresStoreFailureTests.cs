using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Policy;
using Npgsql;

namespace Countersign.Postgres.Tests;

/// <summary>
/// While the database is down every call fails with a transient <see cref="CountersignStoreException"/>, so the gate
/// denies; when it comes back the same store instance works again, without a restart.
/// </summary>
public sealed class PostgresStoreFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.Allow())
        .Build();

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await TestDatabase.ExecuteOnServerAsync($"ALTER DATABASE {_database.Name} ALLOW_CONNECTIONS true");
        await _database.DisposeAsync();
    }

    private static ApprovalRequest Request() => new()
    {
        Id = "apr-" + Guid.NewGuid().ToString("N"),
        ActionId = "act-1",
        ToolName = "refund",
        PayloadHash = "hash-1",
        RedactedArgumentsJson = "{}",
        RequestedBy = "alice",
        CreatedAt = At,
        ExpiresAt = At.AddHours(1),
    };

    private static AuditEntry Entry() => new() { Timestamp = At, Kind = AuditEventKind.ApprovalRequested, ActionId = "a", ToolName = "refund" };

    /// <summary>Takes the database down for this store: no new connections, and every open one cut.</summary>
    private async Task TakeDownAsync()
    {
        await TestDatabase.ExecuteOnServerAsync($"ALTER DATABASE {_database.Name} ALLOW_CONNECTIONS false");
        await TestDatabase.ExecuteOnServerAsync($"SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '{_database.Name}'");
    }

    private Task BringBackAsync() => TestDatabase.ExecuteOnServerAsync($"ALTER DATABASE {_database.Name} ALLOW_CONNECTIONS true");

    private static async Task AssertStoreDown(PostgresStore store, string approvalId)
    {
        await AssertFails(async () => await store.Approvals.CreateOrGetAsync(Request()));
        await AssertFails(async () => await store.Approvals.GetAsync(approvalId));
        await AssertFails(async () => await store.Approvals.FindByIdempotencyKeyAsync("k"));
        await AssertFails(async () => await store.Approvals.RecordReviewAsync(approvalId, new Review("bob", true, null, At, "web"), At.AddHours(1)));
        await AssertFails(async () => await store.Approvals.TryConsumeAsync(approvalId, "hash-1", At));
        await AssertFails(async () => await store.Approvals.TryExpireAsync(approvalId, At.AddHours(2)));
        await AssertFails(async () => await store.Approvals.WaitForResolutionAsync(approvalId).AsTask().WaitAsync(HangGuard));
        await AssertFails(async () =>
        {
            await foreach (var unused in store.Approvals.ListPendingAsync())
            {
            }
        });
        await AssertFails(async () => await store.Approvals.FindByActionIdAsync("act-1"));
        await AssertFails(async () => await store.Approvals.QueryAsync(new ApprovalQuery(), At));
        await AssertFails(async () => await store.Approvals.ExpireDueAsync(At.AddHours(2)));
        await AssertFails(async () => await store.AuditLog.AppendAsync([Entry()]).AsTask().WaitAsync(HangGuard));
        await AssertFails(async () => await store.AuditLog.VerifyAsync());
        await AssertFails(async () =>
        {
            await foreach (var unused in store.AuditLog.ReadAsync())
            {
            }
        });
        await AssertFails(async () => await store.Executions.TryBeginAsync(new Execution.ExecutionRecord { IdempotencyKey = "k", ActionId = "a", ToolName = "refund", PayloadHash = "h", StartedAt = At }));
        await AssertFails(async () => await store.Notifications.ListDueAsync(At, 10));
    }

    private static async Task AssertFails(Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<CountersignStoreException>(call);
        Assert.True(failure.IsTransient, failure.Message);
    }

    [Fact]
    public async Task A_database_that_goes_down_fails_every_call_and_the_same_store_recovers_when_it_returns()
    {
        await using var store = await PostgresStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        await store.AuditLog.AppendAsync([Entry()]);

        await TakeDownAsync();
        await AssertStoreDown(store, request.Id);
        await BringBackAsync();

        await store.AuditLog.AppendAsync([Entry()]).AsTask().WaitAsync(HangGuard);
        Assert.Equal(ApprovalStatus.Pending, (await store.Approvals.GetAsync(request.Id))!.Status);
        var verified = await store.AuditLog.VerifyAsync();
        Assert.True(verified.IsValid);
        Assert.Equal(2, verified.EntriesChecked);
    }

    [Fact]
    public async Task The_gate_denies_while_the_database_is_down_and_allows_again_once_it_is_back()
    {
        var store = await PostgresStore.OpenAsync(_database.Options());
        await using var gate = new ActionGateBuilder().UsePolicy(Policy).UsePostgres(store, disposeWithGate: true).UseEnvironment(_ => null).Build();
        var ran = 0;
        ValueTask<int> Run(CancellationToken cancellationToken)
        {
            ran++;
            return new ValueTask<int>(1);
        }

        await TakeDownAsync();
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(Refund("down"), Run));
        await BringBackAsync();
        var result = await gate.ExecuteAsync(Refund("back"), Run);

        Assert.Equal(DenialReason.StoreUnavailable, denied.DenialReason);
        Assert.Equal(1, result);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task A_disposed_store_refuses_every_call()
    {
        var store = await PostgresStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        await store.DisposeAsync();

        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.GetAsync(request.Id));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.AuditLog.AppendAsync([Entry()]));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.WaitForResolutionAsync(request.Id));
    }

    [Fact]
    public async Task Disposing_fails_callers_still_waiting_for_a_decision()
    {
        var store = await PostgresStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        var wait = store.Approvals.WaitForResolutionAsync(request.Id).AsTask();

        await store.DisposeAsync();

        await Assert.ThrowsAsync<CountersignStoreException>(() => wait.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_open_as_a_transient_store_error()
    {
        var options = _database.Options();
        options.ConnectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;

        var failure = await Assert.ThrowsAsync<CountersignStoreException>(() => PostgresStore.OpenAsync(options));

        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task Options_without_a_connection_string_are_refused_and_name_the_environment_variable()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = null, ReconnectDelay = TimeSpan.Zero }));

        Assert.Contains(PostgresStoreOptions.ConnectionStringVariable, refused.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectDelay", refused.Message, StringComparison.Ordinal);
    }

    private static ActionRequest Refund(string key) => new()
    {
        ToolName = "refund",
        Arguments = ActionArguments.From(new { order_id = "ord_1", amount = 5 }),
        RequestedBy = "refund-bot",
        IdempotencyKey = key,
    };
}
