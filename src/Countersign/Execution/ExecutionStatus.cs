namespace Countersign.Execution;

/// <summary>Where the one execution of an idempotency key stands.</summary>
public enum ExecutionStatus
{
    /// <summary>Claimed and running (or the process running it stopped before it ended).</summary>
    Running = 0,

    /// <summary>The call returned.</summary>
    Succeeded = 1,

    /// <summary>The call threw.</summary>
    Failed = 2,
}
