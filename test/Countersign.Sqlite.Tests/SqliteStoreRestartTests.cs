using Countersign.StoreConformance;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Audit;
using Microsoft.Extensions.Logging;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteStoreRestartTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static ApprovalRequest Request(string payloadHash) => new()
    {
        Id = "apr-" + Guid.NewGuid().ToString("N"),
        ActionId = "act-1",
        ToolName = "refund",
        PayloadHash = payloadHash,
        RedactedArgumentsJson = """{"amount":42}""",
        RequestedBy = "alice",
        IdempotencyKey = "order-42-refund",
        CreatedAt = At,
        ExpiresAt = At.AddHours(1),
    };

    private static AuditEntry Entry(string actionId) => new() { Timestamp = At, Kind = AuditEventKind.ApprovalRequested, ActionId = actionId, ToolName = "refund" };

    [Fact]
    public async Task Pending_approval_survives_a_restart_and_the_caller_reattaches_by_idempotency_key()
    {
        string payloadHash;
        await using (var first = await SqliteStore.OpenAsync(_database.Options()))
        {
            payloadHash = first.PayloadHasher.Compute("refund", JsonDocument.Parse("""{"amount":42}""").RootElement);
            await first.Approvals.CreateOrGetAsync(Request(payloadHash));
        }

        await using var second = await SqliteStore.OpenAsync(_database.Options());
        var found = await second.Approvals.FindByIdempotencyKeyAsync("order-42-refund");
        var recomputed = second.PayloadHasher.Compute("refund", JsonDocument.Parse("""{"amount":42}""").RootElement);
        var decision = await second.Approvals.RecordReviewAsync(found!.Id, new Review("bob", true, null, At.AddMinutes(1), "web"), At.AddMinutes(10));
        var consumed = await second.Approvals.TryConsumeAsync(found.Id, recomputed, At.AddMinutes(2));

        Assert.Equal(ApprovalStatus.Pending, found.Status);
        Assert.Equal(payloadHash, recomputed);
        Assert.Equal(ApprovalStatus.Granted, decision.Request!.Status);
        Assert.True(consumed);
    }

    [Fact]
    public async Task Audit_chain_continues_across_restarts_and_verifies_with_the_kept_keys()
    {
        await using (var first = await SqliteStore.OpenAsync(_database.Options()))
        {
            await first.AuditLog.AppendAsync([Entry("a"), Entry("b")]);
        }

        await using var second = await SqliteStore.OpenAsync(_database.Options());
        await second.AuditLog.AppendAsync([Entry("c")]);
        var records = new List<AuditRecord>();
        await foreach (var record in second.AuditLog.ReadAsync())
        {
            records.Add(record);
        }

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.True((await second.AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Queued_audit_entries_are_committed_before_dispose_returns()
    {
        var appends = new List<Task>();
        await using (var store = await SqliteStore.OpenAsync(_database.Options()))
        {
            for (var i = 0; i < 200; i++)
            {
                appends.Add(store.AuditLog.AppendAsync([Entry($"a-{i}")]).AsTask());
            }
        }

        await Task.WhenAll(appends);
        await using var reopened = await SqliteStore.OpenAsync(_database.Options());
        var result = await reopened.AuditLog.VerifyAsync();
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(200, result.EntriesChecked);
    }

    [Fact]
    public async Task Generated_keys_go_to_an_owner_only_key_file_with_a_warning()
    {
        var logs = new CapturingLoggerFactory();
        var options = _database.Options();
        options.LoggerFactory = logs;

        await using var store = await SqliteStore.OpenAsync(options);

        Assert.Equal(_database.Path + ".keys", store.KeyFilePath);
        Assert.True(File.Exists(store.KeyFilePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.KeyFilePath!));
        }

        using var keyFile = JsonDocument.Parse(File.ReadAllText(store.KeyFilePath!));
        var auditChain = keyFile.RootElement.GetProperty("audit_chain");
        Assert.Equal(store.AuditKeys.CurrentKeyId, auditChain.GetProperty("current").GetString());
        Assert.True(auditChain.GetProperty("keys").TryGetProperty(store.AuditKeys.CurrentKeyId, out _));
        Assert.Equal(store.Keys.PayloadHash.CurrentKeyId, keyFile.RootElement.GetProperty("payload_hash").GetProperty("current").GetString());
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configured_keys_leave_no_key_file_and_no_warning()
    {
        var logs = new CapturingLoggerFactory();
        var options = _database.Options();
        options.LoggerFactory = logs;
        options.Keys = TestKeys.Provider();

        await using var store = await SqliteStore.OpenAsync(options);

        Assert.Null(store.KeyFilePath);
        Assert.False(File.Exists(_database.Path + ".keys"));
        Assert.Equal("prod-2026", store.AuditKeys.CurrentKeyId);
        Assert.DoesNotContain(logs.Messages, m => m.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Configured_keys_win_over_an_existing_key_file()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        var options = _database.Options();
        options.Keys = TestKeys.Provider();
        await using var store = await SqliteStore.OpenAsync(options);

        var arguments = JsonDocument.Parse("{}").RootElement;
        Assert.Equal(new Serialization.PayloadHasher(TestKeys.PayloadHashKey).Compute("t", arguments), store.PayloadHasher.Compute("t", arguments));
        Assert.Equal("prod-2026", store.AuditKeys.CurrentKeyId);
        Assert.Null(store.KeyFilePath);
    }

    [Fact]
    public async Task Two_processes_creating_a_new_file_at_once_agree_on_its_keys()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SqliteStore.OpenAsync(_database.Options())));
        try
        {
            var arguments = JsonDocument.Parse("""{"x":1}""").RootElement;
            Assert.Single(stores.Select(s => s.PayloadHasher.Compute("t", arguments)).Distinct());
            Assert.Single(stores.Select(s => s.AuditKeys.CurrentKeyId).Distinct());
            Assert.Empty(Directory.EnumerateFiles(_database.Directory, "*.tmp"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Unreadable_key_file_stops_the_store_from_opening()
    {
        await File.WriteAllTextAsync(_database.Path + ".keys", "{ not json");

        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(_database.Options()));

        Assert.False(error.IsTransient);
        Assert.Contains(".keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_file_whose_current_key_is_missing_stops_the_store_from_opening()
    {
        await File.WriteAllTextAsync(_database.Path + ".keys", """{"format":1,"payload_hash_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","audit_current_key_id":"k1","audit_keys":{}}""");

        await Assert.ThrowsAsync<CountersignStoreException>(() => SqliteStore.OpenAsync(_database.Options()));
    }
}
