namespace Countersign;

/// <summary>
/// Thrown under the fail-closed on-review behaviour: the call needs a human, so it did not run, and the request
/// stays pending. Call again with the same idempotency key to pick up the decision.
/// </summary>
public sealed class ApprovalPendingException : CountersignException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="toolName">The tool waiting for approval.</param>
    /// <param name="actionId">The intercepted call's identifier.</param>
    /// <param name="approvalId">The pending approval's identifier.</param>
    /// <param name="idempotencyKey">The key to repeat to re-attach to the request.</param>
    public ApprovalPendingException(string toolName, string actionId, string approvalId, string? idempotencyKey)
        : base($"'{toolName}' needs approval; request {approvalId} is pending. Retry with idempotency key '{idempotencyKey}' to pick up the decision.", actionId)
    {
        ToolName = toolName;
        ApprovalId = approvalId;
        IdempotencyKey = idempotencyKey;
    }

    /// <summary>Gets the tool waiting for approval.</summary>
    public string ToolName { get; }

    /// <summary>Gets the pending approval's identifier.</summary>
    public string ApprovalId { get; }

    /// <summary>Gets the idempotency key to repeat to re-attach to the request.</summary>
    public string? IdempotencyKey { get; }
}
