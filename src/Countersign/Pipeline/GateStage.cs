namespace Countersign.Pipeline;

/// <summary>
/// One step of the gate's pipeline. Every call passes the stages in order while it is authorised; a stage may stop it
/// with a denial. After the call ran, each stage that took part is told how it ended, in reverse order (a budget
/// settles what the call cost). Stages are shared by all calls, so they must be thread-safe.
/// </summary>
/// <example>
/// A stage of your own, added with <c>builder.AddStage(new BusinessHoursStage(TimeProvider.System))</c>:
/// <code>
/// public sealed class BusinessHoursStage(TimeProvider clock) : GateStage
/// {
///     private static readonly DenialReason OutOfHours = new("business_hours", "denied outside business hours");
///     public override string Name => "business_hours";
///     public override ValueTask&lt;StageResult&gt; AuthorizeAsync(GateContext context, CancellationToken cancellationToken) =>
///         clock.GetUtcNow().Hour is &gt;= 8 and &lt; 18
///             ? StageResult.ContinueTask
///             : ValueTask.FromResult(StageResult.Deny(OutOfHours, "calls run between 08:00 and 18:00 UTC"));
/// }
/// </code>
/// </example>
public abstract class GateStage
{
    /// <summary>Gets the stage's name, used in logs and in the reason when the stage itself fails.</summary>
    public abstract string Name { get; }

    /// <summary>Judges the call before it runs.</summary>
    /// <param name="context">The call and what earlier stages found.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns><see cref="StageResult.Continue"/>, or a denial that stops the call.</returns>
    /// <remarks>An exception denies the call (fail closed) and is recorded; it does not reach the caller.</remarks>
    public virtual ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken) => StageResult.ContinueTask;

    /// <summary>Learns how an authorised call ended (<see cref="GateContext.Outcome"/>), after it ran.</summary>
    /// <param name="context">The call, with its outcome.</param>
    /// <param name="cancellationToken">Not cancelled by the caller: the call has already run.</param>
    /// <returns>A task that completes when the stage is done.</returns>
    /// <remarks>An exception here is logged, never thrown: the call has already run.</remarks>
    public virtual ValueTask CompleteAsync(GateContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
