using Countersign.Pipeline;
using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>
/// Checks and reserves the call's budget charges in one atomic step in the store before the call may go on; settles
/// them when the call succeeded, and releases them when a later stage denied it or it failed. A store failure denies.
/// </summary>
internal sealed class BudgetStage : GateStage
{
    private readonly BudgetCounters _counters;
    private readonly IGovernanceStore _store;
    private readonly GateGovernance _governance;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    public BudgetStage(BudgetCounters counters, IGovernanceStore store, GateGovernance governance, TimeProvider timeProvider, GateTelemetry telemetry)
    {
        _counters = counters;
        _store = store;
        _governance = governance;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
    }

    public override string Name => "budgets";

    public override async ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var now = _timeProvider.GetUtcNow();
        try
        {
            if (_counters.Options.SessionTimeLimit is { } limit && request.SessionId is { } session)
            {
                var started = await _store.GetOrStartSessionAsync(request.AgentId ?? "-", session, now, cancellationToken).ConfigureAwait(false);
                if (now - started > limit)
                {
                    return StageResult.Deny(GovernanceDenialReasons.SessionExpired, $"session '{session}' started at {started:O}; its time limit is {limit}");
                }
            }

            var charges = _counters.ForCall(request, now, out var error);
            if (error is not null)
            {
                return StageResult.Deny(GovernanceDenialReasons.BudgetExceeded, error);
            }

            if (charges.Count == 0)
            {
                return StageResult.Continue;
            }

            var reservation = await _store.TryReserveAsync(context.ActionId, charges, cancellationToken).ConfigureAwait(false);
            if (!reservation.IsReserved)
            {
                var exhausted = reservation.Exhausted!;
                await GovernanceCallback.InvokeAsync(_counters.Options.OnBudgetExceeded, () => new OnBudgetExceededArguments(request.AgentId, request.ToolName, [exhausted], denied: true), _telemetry, "OnBudgetExceeded").ConfigureAwait(false);
                return StageResult.Deny(GovernanceDenialReasons.BudgetExceeded, $"budget '{exhausted.Key}' has no room: used {exhausted.Used}, held {exhausted.Reserved}, cap {exhausted.Limit}");
            }

            context.BudgetCharges = charges;
            return StageResult.Continue;
        }
        catch (CountersignStoreException ex)
        {
            return StageResult.FailedClosed(DenialReason.StoreUnavailable, "the budget could not be checked: " + ex.Message, ex);
        }
    }

    public override async ValueTask CompleteAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.BudgetCharges is not { } charges)
        {
            return;
        }

        if (context.Outcome is not { Succeeded: true })
        {
            await _store.ReleaseAsync(context.ActionId, cancellationToken).ConfigureAwait(false);
            return;
        }

        var actual = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (context.ActualCost is { } cost)
        {
            foreach (var charge in charges)
            {
                if (charge.Key.Contains("|cost|", StringComparison.Ordinal))
                {
                    actual[charge.Key] = cost;
                }
            }
        }

        var overruns = await _store.SettleAsync(context.ActionId, actual, cancellationToken).ConfigureAwait(false);
        if (overruns.Count > 0)
        {
            var request = context.Request;
            await _governance.ReportOverrunAsync(context.ActionId, request.ToolName, request.AgentId, request.SessionId, overruns).ConfigureAwait(false);
        }
    }
}
