using Countersign.Approvals;
using Countersign.Audit;

namespace Countersign.Sqlite.Tests;

/// <summary>When the store is down, every call fails with <see cref="CountersignStoreException"/>, so the gate fails closed.</summary>
public sealed class SqliteStoreFailureTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

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

    private static async Task AssertStoreDown(SqliteStore store, string approvalId)
    {
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.CreateOrGetAsync(Request()));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.GetAsync(approvalId));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.FindByIdempotencyKeyAsync("k"));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.RecordReviewAsync(approvalId, new Review("bob", true, null, At, "web"), At.AddHours(1)));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.TryConsumeAsync(approvalId, "hash-1", At));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.TryExpireAsync(approvalId, At.AddHours(2)));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.WaitForResolutionAsync(approvalId).AsTask().WaitAsync(HangGuard));
        await Assert.ThrowsAsync<CountersignStoreException>(async () =>
        {
            await foreach (var unused in store.Approvals.ListPendingAsync())
            {
            }
        });
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.FindByActionIdAsync("act-1"));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.QueryAsync(new ApprovalQuery(), At));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.ExpireDueAsync(At.AddHours(2)));
        await Assert.ThrowsAsync<CountersignStoreException>(async () =>
        {
            await foreach (var unused in store.Approvals.WatchAsync(afterPosition: 0).WithCancellation(new CancellationTokenSource(HangGuard).Token))
            {
            }
        });
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.AuditLog.AppendAsync([Entry()]).AsTask().WaitAsync(HangGuard));
        await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.AuditLog.VerifyAsync());
        await Assert.ThrowsAsync<CountersignStoreException>(async () =>
        {
            await foreach (var unused in store.AuditLog.ReadAsync())
            {
            }
        });
    }

    [Fact]
    public async Task A_disposed_store_refuses_every_call()
    {
        var store = await SqliteStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        await store.DisposeAsync();

        await AssertStoreDown(store, request.Id);
    }

    [Fact]
    public async Task Disposing_fails_callers_still_waiting_for_a_decision()
    {
        var store = await SqliteStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        var wait = store.Approvals.WaitForResolutionAsync(request.Id).AsTask();

        await store.DisposeAsync();

        await Assert.ThrowsAsync<CountersignStoreException>(() => wait.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task A_deleted_database_file_fails_every_call_instead_of_writing_into_the_void()
    {
        await using var store = await SqliteStore.OpenAsync(_database.Options());
        var request = await store.Approvals.CreateOrGetAsync(Request());
        await store.AuditLog.AppendAsync([Entry()]);

        foreach (var file in Directory.EnumerateFiles(_database.Directory))
        {
            File.Delete(file);
        }

        await AssertStoreDown(store, request.Id);
    }

    [Fact]
    public async Task A_store_whose_directory_cannot_exist_does_not_open()
    {
        var blocker = Path.Combine(_database.Directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where the directory should be");
        var options = _database.Options();
        options.DatabasePath = Path.Combine(blocker, "countersign.db");

        await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(options));
    }

    [Fact]
    public async Task A_write_lock_held_by_another_process_past_the_busy_timeout_is_a_transient_failure()
    {
        var options = _database.Options();
        options.BusyTimeout = TimeSpan.FromMilliseconds(100);
        await using var store = await SqliteStore.OpenAsync(options);
        var request = await store.Approvals.CreateOrGetAsync(Request());
        using var other = _database.OpenRaw();
        using var transaction = other.BeginTransaction(deferred: false);

        var decision = await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.Approvals.RecordReviewAsync(request.Id, new Review("bob", true, null, At, "web"), At.AddHours(1)));
        var append = await Assert.ThrowsAsync<CountersignStoreException>(async () => await store.AuditLog.AppendAsync([Entry()]).AsTask().WaitAsync(HangGuard));

        Assert.True(decision.IsTransient);
        Assert.True(append.IsTransient);
        transaction.Rollback();
        await store.AuditLog.AppendAsync([Entry()]).AsTask().WaitAsync(HangGuard);
        Assert.True((await store.AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Options_without_a_path_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SqliteStore.OpenAsync(new SqliteStoreOptions()));
    }

    [Fact]
    public async Task Invalid_options_are_reported_together()
    {
        var options = _database.Options();
        options.BusyTimeout = TimeSpan.FromSeconds(-1);
        options.ChangePollInterval = TimeSpan.Zero;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SqliteStore.OpenAsync(options));

        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChangePollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        var store = await SqliteStore.OpenAsync(_database.Options());

        await store.DisposeAsync();
        await store.DisposeAsync();
    }
}
