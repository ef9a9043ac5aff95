using Countersign.Audit;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Store_connections_leave_checkpoints_to_the_checkpointer()
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        using var connection = new SqliteConnectionFactory(_database.Path, SqliteDurability.Normal, TimeSpan.FromSeconds(1), SqliteOpenMode.ReadWrite).Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";

        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Theory]
    [InlineData(SqliteDurability.Normal, 1L)]
    [InlineData(SqliteDurability.Full, 2L)]
    public async Task Connections_use_the_configured_durability(SqliteDurability durability, long synchronous)
    {
        await using (await SqliteStore.OpenAsync(_database.Options()))
        {
        }

        using var connection = new SqliteConnectionFactory(_database.Path, durability, TimeSpan.FromSeconds(1), SqliteOpenMode.ReadWrite).Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";

        Assert.Equal(synchronous, command.ExecuteScalar());
    }

    [Fact]
    public async Task Steady_audit_writing_is_copied_back_into_the_database_file_by_the_checkpointer()
    {
        await using var store = await SqliteStore.OpenAsync(_database.Options());
        var checkpointed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Checkpointer.Checkpointed += frames => checkpointed.TrySetResult(frames);
        var comment = new string('c', 2000);

        // About 6 MB of entries: past the checkpointer's 4 MB trigger.
        for (var batch = 0; batch < 60; batch++)
        {
            var entries = Enumerable.Range(0, 50).Select(i => new AuditEntry
            {
                Timestamp = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
                Kind = AuditEventKind.Outcome,
                ActionId = $"a-{batch}-{i}",
                ToolName = "refund",
                Comment = comment,
            }).ToArray();
            await store.AuditLog.AppendAsync(entries);
        }

        var walFrames = await checkpointed.Task.WaitAsync(HangGuard);

        Assert.True(walFrames * 4096 >= 4 * 1024 * 1024, $"the WAL held {walFrames} frames");
        Assert.True(new FileInfo(_database.Path).Length >= 4 * 1024 * 1024);
        Assert.True((await store.AuditLog.VerifyAsync()).IsValid);
    }
}
