namespace Countersign.Sqlite;

/// <summary>One <see cref="SqliteAuditLog.AppendAsync"/> call waiting in the queue: its entries, serialized, and its caller.</summary>
internal sealed class PendingAuditAppend(byte[][] entries)
{
    /// <summary>Gets each entry's canonical JSON, exactly the bytes its MAC covers.</summary>
    public byte[][] Entries { get; } = entries;

    /// <summary>Gets the caller's completion; continuations never run on the writer's or the syncer's thread.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
