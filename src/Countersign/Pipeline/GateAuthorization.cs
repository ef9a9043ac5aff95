namespace Countersign.Pipeline;

/// <summary>
/// The result of the gate's first phase for one call: authorised to run (on a path the audit log already records),
/// or rejected. An authorised call must be completed once with <see cref="ActionGate.CompleteAsync"/> after it ran.
/// </summary>
public sealed class GateAuthorization
{
    private int _completed;

    internal GateAuthorization(GateContext context, CountersignException? rejection, int stagesPassed)
    {
        Context = context;
        Rejection = rejection;
        StagesPassed = stagesPassed;
    }

    /// <summary>Gets whether the call may run now.</summary>
    public bool IsAuthorized => Rejection is null;

    /// <summary>Gets the call's identifier in the audit log.</summary>
    public string ActionId => Context.ActionId;

    /// <summary>Gets why the call may run, or <see cref="ExecutionPath.None"/> when it may not.</summary>
    public ExecutionPath Path => IsAuthorized ? Context.Path : ExecutionPath.None;

    /// <summary>Gets whether enforcement would have blocked or held a call that runs anyway.</summary>
    public bool WouldBlock => IsAuthorized && Context.WouldBlock;

    /// <summary>Gets the approval that held or released the call, if one was needed.</summary>
    public string? ApprovalId => Context.Approval?.Id;

    /// <summary>Gets the denial (<see cref="ActionDeniedException"/>) or the pending approval (<see cref="ApprovalPendingException"/>) when the call may not run.</summary>
    public CountersignException? Rejection { get; }

    /// <summary>Gets the call and what the stages found.</summary>
    public GateContext Context { get; }

    /// <summary>Throws the rejection when the call may not run.</summary>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call waits for reviewers (fail-closed behaviour).</exception>
    public void ThrowIfRejected()
    {
        if (Rejection is not null)
        {
            throw Rejection;
        }
    }

    internal int StagesPassed { get; }

    internal bool TryMarkCompleted() => Interlocked.Exchange(ref _completed, 1) == 0;
}
