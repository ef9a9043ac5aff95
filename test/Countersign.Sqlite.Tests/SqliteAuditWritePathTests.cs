using Countersign.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Sqlite.Tests;

/// <summary>The audit writer's path to the file: multi-row inserts, both durabilities, and a failed sync of the log.</summary>
public sealed class SqliteAuditWritePathTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static AuditEntry Entry(string actionId) => new() { Timestamp = At, Kind = AuditEventKind.ApprovalRequested, ActionId = actionId, ToolName = "refund" };

    [Theory]
    [InlineData(SqliteDurability.Full)]
    [InlineData(SqliteDurability.Normal)]
    public async Task Batches_of_every_size_commit_in_order_and_verify(SqliteDurability durability)
    {
        var options = _database.Options();
        options.Durability = durability;
        await using var store = await SqliteStore.OpenAsync(options);

        // One row short of a multi-row insert, exactly one, and two and a bit; then many callers at once.
        int[] sizes = [AuditWriteCommands.RowsPerInsert - 1, AuditWriteCommands.RowsPerInsert, (2 * AuditWriteCommands.RowsPerInsert) + 3];
        foreach (var size in sizes)
        {
            await store.AuditLog.AppendAsync(Enumerable.Range(0, size).Select(i => Entry($"{size}-{i}")).ToList());
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.AuditLog.AppendAsync([Entry($"c-{i}"), Entry($"c-{i}")]).AsTask())).WaitAsync(HangGuard);
        var records = new List<AuditRecord>();
        await foreach (var record in store.AuditLog.ReadAsync())
        {
            records.Add(record);
        }

        var result = await store.AuditLog.VerifyAsync();
        var inOrder = sizes.SelectMany(size => Enumerable.Range(0, size).Select(i => $"{size}-{i}"));
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(sizes.Sum() + 80, result.EntriesChecked);
        Assert.Equal(Enumerable.Range(1, sizes.Sum() + 80).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(inOrder, records.Take(sizes.Sum()).Select(r => r.Entry.ActionId));
    }

    [Fact]
    public async Task After_a_failed_sync_of_the_log_nothing_more_is_committed()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        var connections = new SqliteConnectionFactory(_database.Path, SqliteDurability.Full, TimeSpan.FromSeconds(5), SqliteOpenMode.ReadWrite);
        using var pool = new SqliteConnectionPool(connections);
        await using var checkpointer = new SqliteCheckpointer(connections, NullLogger.Instance);
        var log = new SqliteAuditLog(pool, connections, checkpointer, new AuditChain(AuditKeyRing.CreateEphemeral()), readOnly: false, NullLogger.Instance, syncLog: _ => throw new IOException("the disk went away"));

        var first = await Assert.ThrowsAsync<CountersignStoreException>(async () => await log.AppendAsync([Entry("a")]).AsTask().WaitAsync(HangGuard));
        var second = await Assert.ThrowsAsync<CountersignStoreException>(async () => await log.AppendAsync([Entry("b")]).AsTask().WaitAsync(HangGuard));
        await log.DisposeAsync();

        Assert.False(first.IsTransient);
        Assert.Same(first, second);
        using var raw = _database.OpenRaw();
        using var count = raw.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit_entries";
        Assert.Equal(1L, count.ExecuteScalar());
    }
}
