namespace Countersign.Pipeline;

/// <summary>Where a stage of your own runs in the gate's pipeline.</summary>
public enum GateStagePlacement
{
    /// <summary>Before the policy: where governance stages (scope, halt, loops, budget) run. A denial here is never shadowed.</summary>
    BeforePolicy = 0,

    /// <summary>After the approval, just before the call is released; the verdict, mode and approval are known.</summary>
    BeforeExecution = 1,
}
