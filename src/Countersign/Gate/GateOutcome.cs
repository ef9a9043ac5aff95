namespace Countersign;

/// <summary>The result of a guarded call that does not throw for denials, for callers that prefer to branch on it.</summary>
/// <typeparam name="TResult">The call's result type.</typeparam>
public sealed class GateOutcome<TResult>
{
    private GateOutcome(GateOutcomeKind kind, string actionId, TResult? result, ExecutionPath path, bool wouldBlock, CountersignException? rejection, string? replayOf = null)
    {
        ReplayOf = replayOf;
        Kind = kind;
        ActionId = actionId;
        Result = result;
        Path = path;
        WouldBlock = wouldBlock;
        Rejection = rejection;
    }

    /// <summary>Gets how the call ended.</summary>
    public GateOutcomeKind Kind { get; }

    /// <summary>Gets the intercepted call's identifier in the audit log.</summary>
    public string ActionId { get; }

    /// <summary>Gets the call's result when it ran.</summary>
    public TResult? Result { get; }

    /// <summary>Gets why the call ran, or <see cref="ExecutionPath.None"/>.</summary>
    public ExecutionPath Path { get; }

    /// <summary>Gets whether enforcement would have blocked or held a call that ran in shadow or fail-open.</summary>
    public bool WouldBlock { get; }

    /// <summary>
    /// Gets, for a retry whose idempotency key had already run, the action that ran it: the result is that action's
    /// recorded result and nothing ran again. <see langword="null"/> for a call that ran now.
    /// </summary>
    public string? ReplayOf { get; }

    /// <summary>Gets the exception describing a denial (<see cref="ActionDeniedException"/>) or a pending request (<see cref="ApprovalPendingException"/>).</summary>
    public CountersignException? Rejection { get; }

    /// <summary>Returns the result, or throws the rejection.</summary>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call is waiting for approval.</exception>
    public TResult GetResultOrThrow() => Rejection is null ? Result! : throw Rejection;

    /// <summary>
    /// Returns a plain message to hand back to an agent instead of an exception: the result's text when the call ran,
    /// or <c>DENIED: ...</c> / <c>PENDING: ...</c> explaining why it did not.
    /// </summary>
    /// <returns>The message.</returns>
    public string ToAgentMessage() => Rejection switch
    {
        null => Result?.ToString() ?? string.Empty,
        ActionDeniedException denied => denied.Message,
        _ => "PENDING: " + Rejection.Message,
    };

    internal static GateOutcome<TResult> Executed(string actionId, TResult result, ExecutionPath path, bool wouldBlock) =>
        new(GateOutcomeKind.Executed, actionId, result, path, wouldBlock, null);

    internal static GateOutcome<TResult> Replayed(string actionId, string replayOf, TResult result) =>
        new(GateOutcomeKind.Executed, actionId, result, ExecutionPath.None, false, null, replayOf);

    internal static GateOutcome<TResult> Denied(ActionDeniedException denial) =>
        new(GateOutcomeKind.Denied, denial.ActionId ?? string.Empty, default, ExecutionPath.None, false, denial);

    internal static GateOutcome<TResult> Pending(ApprovalPendingException pending) =>
        new(GateOutcomeKind.Pending, pending.ActionId ?? string.Empty, default, ExecutionPath.None, false, pending);
}
