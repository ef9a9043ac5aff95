using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Sqlite.Tests;

/// <summary>The syncer completes a committed batch only after a sync that began after the commit, and stops for good at a failed sync.</summary>
public sealed class AuditLogSyncerTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();
    private readonly SqliteWalFile _wal;

    public AuditLogSyncerTests()
    {
        File.WriteAllBytes(_database.Path + "-wal", []);
        _wal = SqliteWalFile.Open(_database.Path);
    }

    public void Dispose()
    {
        _wal.Dispose();
        _database.Dispose();
    }

    private static List<PendingAuditAppend> Batch() => [new PendingAuditAppend([[1]]), new PendingAuditAppend([[2], [3]])];

    [Fact]
    public async Task A_batch_committed_during_a_sync_waits_for_the_next_one()
    {
        var syncStarted = new SemaphoreSlim(0);
        var syncMayFinish = new SemaphoreSlim(0);
        var syncer = new AuditLogSyncer(_ => { syncStarted.Release(); syncMayFinish.Wait(HangGuard); }, NullLogger.Instance);
        var first = Batch();
        var second = Batch();

        syncer.Committed(_wal, first);
        Assert.True(await syncStarted.WaitAsync(HangGuard));
        syncer.Committed(_wal, second);
        syncMayFinish.Release();
        await Task.WhenAll(first.Select(p => p.Completion.Task)).WaitAsync(HangGuard);

        Assert.All(second, p => Assert.False(p.Completion.Task.IsCompleted));
        Assert.True(await syncStarted.WaitAsync(HangGuard));
        syncMayFinish.Release();
        await Task.WhenAll(second.Select(p => p.Completion.Task)).WaitAsync(HangGuard);
        await syncer.CompleteAsync().WaitAsync(HangGuard);
    }

    [Fact]
    public async Task A_failed_sync_fails_its_batch_and_every_later_one()
    {
        var syncs = 0;
        var syncer = new AuditLogSyncer(_ =>
        {
            Interlocked.Increment(ref syncs);
            throw new IOException("the disk went away");
        }, NullLogger.Instance);
        var first = Batch();

        syncer.Committed(_wal, first);
        var error = await Assert.ThrowsAsync<CountersignStoreException>(() => first[1].Completion.Task.WaitAsync(HangGuard));
        var later = Batch();
        syncer.Committed(_wal, later);
        var laterError = await Assert.ThrowsAsync<CountersignStoreException>(() => later[0].Completion.Task.WaitAsync(HangGuard));
        await syncer.CompleteAsync().WaitAsync(HangGuard);

        Assert.False(error.IsTransient);
        Assert.Contains("reopen the store", error.Message, StringComparison.Ordinal);
        Assert.Same(error, syncer.Failure);
        Assert.Same(error, laterError);
        Assert.Equal(1, syncs);
    }

    [Fact]
    public async Task Completing_syncs_what_was_handed_over_first()
    {
        var syncs = 0;
        var syncer = new AuditLogSyncer(_ => Interlocked.Increment(ref syncs), NullLogger.Instance);
        var batch = Batch();

        syncer.Committed(_wal, batch);
        await syncer.CompleteAsync().WaitAsync(HangGuard);

        Assert.All(batch, p => Assert.True(p.Completion.Task.IsCompletedSuccessfully));
        Assert.True(syncs >= 1);
    }
}
