using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Telemetry;

namespace Countersign.Approvals;

/// <summary>
/// Holds a call the policy sends to a human: creates (or re-attaches to) the durable approval, commits its audit entry,
/// then waits for the reviewers (block), returns pending (fail_closed), or lets the call run
/// without review (fail_open, shadow). A granted approval is claimed later, by the execution stage. Channels are not
/// called from here: the store's change feed carries the new approval to the <see cref="Notifications.NotificationDispatcher"/>.
/// </summary>
internal sealed class ApprovalStage : GateStage
{
    private readonly IApprovalStore _store;
    private readonly CountersignOptions _options;
    private readonly GateCallbacks _callbacks;
    private readonly GateAuditWriter _audit;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    public ApprovalStage(
        IApprovalStore store,
        CountersignOptions options,
        GateCallbacks callbacks,
        GateAuditWriter audit,
        TimeProvider timeProvider,
        GateTelemetry telemetry)
    {
        _store = store;
        _options = options;
        _callbacks = callbacks;
        _audit = audit;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
    }

    public override string Name => "approval";

    public override async ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Path != ExecutionPath.None || context.Verdict?.Effect != PolicyEffect.RequireApproval)
        {
            return StageResult.Continue;
        }

        var behavior = context.CallOptions?.OnReview ?? _options.OnReview;
        if (behavior is OnReviewBehavior.FailOpen or OnReviewBehavior.Shadow)
        {
            context.Path = behavior == OnReviewBehavior.FailOpen ? ExecutionPath.FailOpen : ExecutionPath.ReviewShadow;
            context.WouldBlock = true;
            context.DecisionSource = GateEvents.PathName(context.Path);
            return StageResult.Continue;
        }

        if (string.IsNullOrWhiteSpace(context.RequestedBy) && string.IsNullOrWhiteSpace(context.Request.AgentId))
        {
            return StageResult.Deny(
                DenialReason.NoRequester,
                "the call needs approval but names neither a requester nor an agent, so nobody could be kept from approving their own call; set ActionRequest.RequestedBy or AgentId (or CountersignOptions.DefaultRequestedBy)");
        }

        ApprovalRequest approval;
        try
        {
            approval = await CreateOrAttachAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsInfrastructureFailure(ex, cancellationToken))
        {
            return StageResult.FailedClosed(DenialReason.StoreUnavailable, "the approval store or audit log failed: " + ex.Message, ex);
        }

        context.Approval = approval;
        if (approval.PayloadHash != context.PayloadHash)
        {
            return StageResult.Deny(
                DenialReason.ApprovalNotUsable,
                $"idempotency key '{context.Request.IdempotencyKey}' belongs to approval {approval.Id} for a different payload; an approval never authorises another payload");
        }

        if (approval.Status == ApprovalStatus.Pending)
        {
            if (behavior == OnReviewBehavior.FailClosed)
            {
                return StageResult.Held(new ApprovalPendingException(context.Request.ToolName, context.ActionId, approval.Id, approval.IdempotencyKey));
            }

            var waitStarted = _timeProvider.GetTimestamp();
            try
            {
                approval = await WaitAsync(approval, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsInfrastructureFailure(ex, cancellationToken))
            {
                return StageResult.FailedClosed(DenialReason.StoreUnavailable, "the approval store failed while waiting for reviewers: " + ex.Message, ex);
            }
            finally
            {
                context.WaitedForReview = _timeProvider.GetElapsedTime(waitStarted);
                _telemetry.ApprovalWaited(context, approval);
            }

            context.Approval = approval;
            await _callbacks.ApprovalDecidedAsync(context, approval).ConfigureAwait(false);
        }

        return Conclude(context, approval);
    }

    private async Task<ApprovalRequest> CreateOrAttachAsync(GateContext context, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var verdict = context.Verdict!;
        var timeout = context.CallOptions?.ReviewTimeout ?? verdict.Timeout ?? _options.ReviewTimeout;
        var candidate = new ApprovalRequest
        {
            Id = "apr_" + Guid.CreateVersion7(now).ToString("N"),
            ActionId = context.ActionId,
            ToolName = context.Request.ToolName,
            PayloadHash = context.PayloadHash,
            RedactedArgumentsJson = context.RedactedArgumentsJson,
            AgentId = context.Request.AgentId,
            SessionId = context.Request.SessionId,
            RequestedBy = context.RequestedBy,
            IdempotencyKey = context.Request.IdempotencyKey,
            Description = context.Request.Description,
            Risk = verdict.Risk,
            Reasons = verdict.Reasons,
            Quorum = verdict.Quorum,
            ReviewerRoles = verdict.ReviewerRoles,
            CreatedAt = now,
            ExpiresAt = now + timeout,
            GrantValidity = _options.GrantValidity,
        };
        var approval = await _store.CreateOrGetAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (approval.Id == candidate.Id)
        {
            // The request is on record before anyone is asked: a reviewer never sees a call the log does not show.
            await _audit.CommitAsync(GateEvents.ApprovalRequested(context, approval, now), cancellationToken).ConfigureAwait(false);
            _telemetry.ApprovalRequested(context, approval);
            await _callbacks.ApprovalRequestedAsync(context, approval).ConfigureAwait(false);
        }

        return approval;
    }

    private async Task<ApprovalRequest> WaitAsync(ApprovalRequest approval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = approval.ExpiresAt - _timeProvider.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(remaining, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                try
                {
                    return await _store.WaitForResolutionAsync(approval.Id, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The timeout fired; fall through and expire the request.
                }
            }

            var now = _timeProvider.GetUtcNow();
            if (await _store.TryExpireAsync(approval.Id, now, cancellationToken).ConfigureAwait(false))
            {
                await _audit.AppendBestEffortAsync(GateEvents.Expired(approval, now), approval.ActionId).ConfigureAwait(false);
                return approval with { Status = ApprovalStatus.Expired };
            }

            approval = await _store.GetAsync(approval.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new CountersignStoreException($"Approval {approval.Id} disappeared from the store while a call waited for it.", isTransient: false);
            if (approval.IsResolved)
            {
                return approval;
            }
        }
    }

    private static StageResult Conclude(GateContext context, ApprovalRequest approval)
    {
        switch (approval.Status)
        {
            case ApprovalStatus.Granted:
            case ApprovalStatus.Consumed:
                // The execution stage claims the grant; a consumed one is resolved there from the key's first execution.
                var approvals = approval.Decisions.Where(d => d.Approved).ToList();
                context.Path = ExecutionPath.Approved;
                context.DecidedBy = string.Join(", ", approvals.Select(d => d.Reviewer));
                context.DecisionSource = string.Join(", ", approvals.Select(d => d.Source).Distinct(StringComparer.Ordinal));
                context.ReviewComment = string.Join(" | ", approvals.Where(d => d.Comment is not null).Select(d => d.Comment)) is { Length: > 0 } c ? c : null;
                return StageResult.Continue;

            case ApprovalStatus.Denied:
                var veto = approval.Decisions.LastOrDefault(d => !d.Approved);
                context.DecisionSource = veto?.Source;
                return StageResult.DeniedByReviewer(approval.Reasons, veto?.Reviewer, veto?.Comment);

            case ApprovalStatus.Expired:
                return StageResult.Deny(DenialReason.Timeout, $"approval {approval.Id} expired at {approval.ExpiresAt:O} without a decision");

            default:
                throw new InvalidOperationException($"Approval {approval.Id} is still pending after the wait.");
        }
    }

    private static bool IsInfrastructureFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
