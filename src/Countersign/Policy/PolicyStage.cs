using Countersign.Pipeline;
using Countersign.Redaction;
using Countersign.Telemetry;

namespace Countersign.Policy;

/// <summary>
/// Judges the call by the policy (allow, deny, needs approval) and masks the fields the policy redacts, so nothing
/// after this stage sees them in clear. It never stops the call itself: the mode stage decides what a verdict does.
/// </summary>
internal sealed class PolicyStage : GateStage
{
    private readonly PolicyEvaluator _evaluator;
    private readonly GateTelemetry _telemetry;

    public PolicyStage(ActionPolicy policy, GateTelemetry telemetry)
    {
        Policy = policy;
        _evaluator = new PolicyEvaluator(policy);
        _telemetry = telemetry;
    }

    public ActionPolicy Policy { get; }

    public override string Name => "policy";

    public PolicyDecision Evaluate(ActionRequest request) => _evaluator.Evaluate(request);

    public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        var decision = EvaluateSafely(context.Request);
        context.Verdict = decision;
        context.RedactedArgumentsJson = decision.RedactPaths.Count == 0
            ? System.Text.Encoding.UTF8.GetString(context.CanonicalArguments.Span)
            : JsonRedactor.Redact(context.Request.Arguments, decision.RedactPaths);
        return StageResult.ContinueTask;
    }

    // A code predicate that throws must not let the call through, nor surface as a crash: the verdict is deny, and
    // the denial, like any other, is audited with the reason.
    private PolicyDecision EvaluateSafely(ActionRequest request)
    {
        try
        {
            return _evaluator.Evaluate(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _telemetry.PolicyFailed(request, ex);
            return new PolicyDecision
            {
                Effect = PolicyEffect.Deny,
                Reasons = [$"the policy could not be evaluated ({ex.GetType().Name}: {ex.Message}); the call is denied"],
            };
        }
    }
}
