namespace Countersign.Postgres;

/// <summary>One <see cref="PostgresAuditLog.AppendAsync"/> call waiting in the queue: its entries, serialized, and its caller.</summary>
internal sealed class PendingAuditAppend(string[] entries)
{
    /// <summary>Gets each entry's canonical JSON, exactly the text its MAC covers.</summary>
    public string[] Entries { get; } = entries;

    /// <summary>Gets the caller's completion; continuations never run on the writer's thread.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
