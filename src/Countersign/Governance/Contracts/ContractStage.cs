using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>
/// Checks tool contracts: pre-conditions once the approval is known, just before the call is released (so a contract
/// can require a human's approval); post-conditions on the result, recording a violation on the outcome.
/// </summary>
internal sealed class ContractStage : GateStage
{
    private readonly (ToolContract Contract, GlobPattern Tool)[] _contracts;
    private readonly ContractOptions _options;
    private readonly GateGovernance _governance;
    private readonly GateAuditWriter _audit;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    public ContractStage(ContractOptions options, GateGovernance governance, GateAuditWriter audit, TimeProvider timeProvider, GateTelemetry telemetry)
    {
        _options = options;
        _contracts = [.. options.Contracts.Select(c => (c, new GlobPattern(c.Tool)))];
        _governance = governance;
        _audit = audit;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
    }

    public override string Name => "contracts";

    public override async ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        var failures = await CheckAsync(context, post: false, cancellationToken).ConfigureAwait(false);
        return failures.Count == 0 ? StageResult.Continue : StageResult.Deny(GovernanceDenialReasons.ContractViolated, failures);
    }

    public override async ValueTask CompleteAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Outcome is not { Succeeded: true })
        {
            return;
        }

        var failures = await CheckAsync(context, post: true, cancellationToken).ConfigureAwait(false);
        if (failures.Count == 0)
        {
            return;
        }

        context.OutcomeNotes.AddRange(failures);
        await _audit.AppendBestEffortAsync(GovernanceEvents.ContractViolated(context, failures, _timeProvider.GetUtcNow()), context.ActionId).ConfigureAwait(false);
        var halted = false;
        var agent = context.Request.AgentId;
        if (agent is not null && _contracts.Any(c => c.Contract.HaltOnViolation && c.Tool.IsMatch(context.Request.ToolName)))
        {
            halted = await _governance.HaltCoreAsync(agent, "contracts", $"post-condition of '{context.Request.ToolName}' failed (action {context.ActionId})", "contracts", cancellationToken).ConfigureAwait(false);
        }

        await GovernanceCallback.InvokeAsync(_options.OnContractViolated, () => new OnContractViolatedArguments(context, failures, halted), _telemetry, "OnContractViolated").ConfigureAwait(false);
    }

    private async ValueTask<List<string>> CheckAsync(GateContext context, bool post, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        ContractCheckContext? check = null;
        foreach (var (contract, tool) in _contracts)
        {
            if (!tool.IsMatch(context.Request.ToolName))
            {
                continue;
            }

            foreach (var condition in post ? contract.Postconditions : contract.Preconditions)
            {
                check ??= new ContractCheckContext(context, _governance, post ? context.Outcome?.Result : null, post, cancellationToken);
                string? failure;
                try
                {
                    failure = await condition.Check(check).ConfigureAwait(false) ? null : "failed";
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A condition that cannot be evaluated does not hold.
                    failure = $"threw {ex.GetType().Name}: {ex.Message}";
                }

                if (failure is not null)
                {
                    failures.Add($"contract_violated: {(post ? "post" : "pre")}-condition '{condition.Name}' of '{contract.Tool}' {failure}");
                }
            }
        }

        return failures;
    }
}
