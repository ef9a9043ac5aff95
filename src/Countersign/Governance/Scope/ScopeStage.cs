using Countersign.Pipeline;
using Countersign.Telemetry;
using Countersign.Text;

namespace Countersign.Governance;

/// <summary>Denies a call whose tool is outside its agent's scope (default deny once an agent has a scope).</summary>
internal sealed class ScopeStage : GateStage
{
    private readonly AgentScopes _scopes;
    private readonly Func<OnOutOfScopeArguments, ValueTask>? _onOutOfScope;
    private readonly GateTelemetry _telemetry;

    public ScopeStage(AgentScopes scopes, Func<OnOutOfScopeArguments, ValueTask>? onOutOfScope, GateTelemetry telemetry)
    {
        _scopes = scopes;
        _onOutOfScope = onOutOfScope;
        _telemetry = telemetry;
    }

    public override string Name => "scope";

    public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        var agent = context.Request.AgentId;
        var tool = context.Request.ToolName;
        if (_scopes.IsInScope(agent, tool))
        {
            return StageResult.ContinueTask;
        }

        return DenyAsync(context, agent, tool);
    }

    private async ValueTask<StageResult> DenyAsync(GateContext context, string? agent, string tool)
    {
        var scope = _scopes.GetScope(agent);
        var who = agent is null ? "a call naming no agent" : $"agent '{ReviewerText.Neutralize(agent, 200)}'";
        var detail = scope is null
            ? $"'{tool}' is denied: {who} has no scope, and unscoped agents are denied"
            : $"'{tool}' is outside the scope of {who} (scope: {string.Join(", ", scope)})";
        await GovernanceCallback.InvokeAsync(_onOutOfScope, () => new OnOutOfScopeArguments(context, scope), _telemetry, "OnOutOfScope").ConfigureAwait(false);
        return StageResult.Deny(GovernanceDenialReasons.OutOfScope, detail);
    }
}
