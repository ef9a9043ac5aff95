using Countersign.Approvals;
using Countersign.Pipeline;
using Countersign.Policy;

namespace Countersign.Execution;

/// <summary>
/// The last step before the call runs: releases an allowed call, claims a granted approval (single use, bound to the
/// payload), and holds the call's idempotency key in the ledger so the key runs at most once on every path. After the
/// run it records how the key's execution ended, for retries to read.
/// </summary>
internal sealed class ExecutionStage : GateStage
{
    private readonly IApprovalStore _store;
    private readonly IExecutionLedger _ledger;
    private readonly TimeProvider _timeProvider;

    public ExecutionStage(IApprovalStore store, IExecutionLedger ledger, TimeProvider timeProvider)
    {
        _store = store;
        _ledger = ledger;
        _timeProvider = timeProvider;
    }

    public override string Name => "execution";

    public override async ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Path == ExecutionPath.None)
        {
            if (context.Verdict?.Effect != PolicyEffect.Allow)
            {
                throw new InvalidOperationException($"No stage released the call (verdict {context.VerdictName}); it is denied.");
            }

            context.Path = ExecutionPath.Allowed;
            context.DecisionSource = "policy";
            context.DecidedBy = "policy";
        }

        var key = context.Request.IdempotencyKey;
        if (key is not null)
        {
            ExecutionRecord? earlier;
            try
            {
                earlier = await _ledger.TryBeginAsync(
                    new ExecutionRecord
                    {
                        IdempotencyKey = key,
                        ActionId = context.ActionId,
                        ToolName = context.Request.ToolName,
                        PayloadHash = context.PayloadHash,
                        StartedAt = _timeProvider.GetUtcNow(),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return StageResult.FailedClosed(DenialReason.StoreUnavailable, "the execution ledger failed: " + ex.Message, ex);
            }

            if (earlier is not null)
            {
                context.EarlierExecution = earlier;
                return StageResult.Deny(DenialReason.AlreadyExecuted, Describe(key, earlier, context.PayloadHash));
            }
        }

        if (context.Path != ExecutionPath.Approved)
        {
            return StageResult.Continue;
        }

        var approval = context.Approval!;
        bool claimed;
        try
        {
            claimed = await _store.TryConsumeAsync(approval.Id, context.PayloadHash, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await ReleaseKeyAsync(context).ConfigureAwait(false);
            return StageResult.FailedClosed(DenialReason.StoreUnavailable, "the approval store failed while claiming the grant: " + ex.Message, ex);
        }

        if (claimed)
        {
            return StageResult.Continue;
        }

        await ReleaseKeyAsync(context).ConfigureAwait(false);
        var reason = approval.GrantExpiresAt is { } until && until <= _timeProvider.GetUtcNow()
            ? $"the grant of approval {approval.Id} expired at {until:O}"
            : $"approval {approval.Id} was already used: an approval authorises one execution";
        return StageResult.Deny(DenialReason.ApprovalNotUsable, reason);
    }

    public override async ValueTask CompleteAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Request.IdempotencyKey is not { } key || context.Outcome is not { } outcome)
        {
            return;
        }

        await _ledger.CompleteAsync(
            key,
            context.ActionId,
            outcome.Succeeded ? ExecutionStatus.Succeeded : ExecutionStatus.Failed,
            outcome.Succeeded && !context.ResultIncomplete ? context.ResultJson : null,
            outcome.Error,
            _timeProvider.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseKeyAsync(GateContext context)
    {
        if (context.Request.IdempotencyKey is { } key)
        {
            await _ledger.ReleaseAsync(key, context.ActionId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Describe(string key, ExecutionRecord earlier, string payloadHash)
    {
        if (!string.Equals(earlier.PayloadHash, payloadHash, StringComparison.Ordinal))
        {
            return $"idempotency key '{key}' already ran as action {earlier.ActionId} with a different payload; a key allows one execution";
        }

        return earlier.Status switch
        {
            ExecutionStatus.Running => $"idempotency key '{key}' is already executing as action {earlier.ActionId} (since {earlier.StartedAt:O}); a key allows one execution",
            ExecutionStatus.Failed => $"idempotency key '{key}' already executed as action {earlier.ActionId}, which failed: {earlier.Error}",
            _ => $"idempotency key '{key}' already executed as action {earlier.ActionId} at {earlier.CompletedAt:O}",
        };
    }
}
