using Countersign.Pipeline;
using Countersign.Policy;

namespace Countersign;

/// <summary>
/// Applies the enforcement mode to the verdict: in enforce mode a deny stops the call here; in shadow mode (and for
/// calls sampled out) a deny or a hold is recorded as "would have blocked" and the call runs.
/// </summary>
internal sealed class ModeStage : GateStage
{
    private readonly EnforcementMode _mode;
    private readonly double _samplePercent;
    private readonly string _modeName;

    public ModeStage(EnforcementMode mode, double samplePercent)
    {
        _mode = mode;
        _samplePercent = samplePercent;
        _modeName = CountersignEnvironment.ToSnakeCase(mode.ToString());
    }

    public override string Name => "mode";

    public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        context.ModeName = _modeName;
        context.IsEnforced = _mode switch
        {
            EnforcementMode.Enforce => true,
            EnforcementMode.Shadow => false,
            _ => SampleSelector.IsEnforced(context.Request.IdempotencyKey, context.PayloadHash, _samplePercent),
        };

        var verdict = context.Verdict ?? throw new InvalidOperationException("The mode stage runs after the policy stage.");
        if (verdict.Effect == PolicyEffect.Allow)
        {
            return StageResult.ContinueTask;
        }

        if (!context.IsEnforced)
        {
            context.Path = ExecutionPath.ShadowMode;
            context.WouldBlock = true;
            context.DecisionSource = "shadow_mode";
            return StageResult.ContinueTask;
        }

        return verdict.Effect == PolicyEffect.Deny
            ? ValueTask.FromResult(StageResult.Deny(DenialReason.Policy, verdict.Reasons))
            : StageResult.ContinueTask;
    }
}
