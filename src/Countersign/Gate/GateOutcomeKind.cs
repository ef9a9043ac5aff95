namespace Countersign;

/// <summary>How a guarded call ended at the gate.</summary>
public enum GateOutcomeKind
{
    /// <summary>The call ran; <see cref="GateOutcome{TResult}.Result"/> holds its result.</summary>
    Executed = 0,

    /// <summary>The call was denied and did not run.</summary>
    Denied = 1,

    /// <summary>The call needs a human and did not run; its approval request is pending (fail-closed behaviour).</summary>
    Pending = 2,
}
