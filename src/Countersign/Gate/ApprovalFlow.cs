using System.Collections.Concurrent;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Channels;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging;

namespace Countersign;

/// <summary>
/// The approval step of the gate: creates or re-attaches to the durable request, notifies channels, waits for the
/// decision (event-driven, bounded by the timeout) and claims a grant for exactly one execution.
/// </summary>
internal sealed class ApprovalFlow
{
    private readonly IApprovalStore _store;
    private readonly IAuditLog _audit;
    private readonly IReadOnlyList<IApprovalChannel> _channels;
    private readonly ReviewRecorder _reviews;
    private readonly CountersignOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly GateMetrics _metrics;
    private readonly ConcurrentDictionary<string, byte> _notified = new(StringComparer.Ordinal);

    public ApprovalFlow(
        IApprovalStore store,
        IAuditLog audit,
        IReadOnlyList<IApprovalChannel> channels,
        ReviewRecorder reviews,
        CountersignOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        GateMetrics metrics)
    {
        _store = store;
        _audit = audit;
        _channels = channels;
        _reviews = reviews;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
    }

    public async Task<ApprovalResolution> ResolveAsync(GateCall call, OnReviewBehavior behavior, TimeSpan? timeoutOverride, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var tool = call.Request.ToolName;
        ApprovalRequest request;
        try
        {
            await _audit.AppendAsync([call.RequestedEntry(now), call.VerdictEntry(now, wouldBlock: false)], cancellationToken);

            var timeout = timeoutOverride ?? call.Decision.Timeout ?? _options.ReviewTimeout;
            var candidate = new ApprovalRequest
            {
                Id = "apr_" + Guid.CreateVersion7(now).ToString("N"),
                ActionId = call.ActionId,
                ToolName = tool,
                PayloadHash = call.PayloadHash,
                RedactedArgumentsJson = call.RedactedArgumentsJson,
                AgentId = call.Request.AgentId,
                SessionId = call.Request.SessionId,
                RequestedBy = call.RequestedBy,
                IdempotencyKey = call.Request.IdempotencyKey,
                Description = call.Request.Description,
                Risk = call.Decision.Risk,
                Reasons = call.Decision.Reasons,
                Quorum = call.Decision.Quorum,
                ReviewerRoles = call.Decision.ReviewerRoles,
                CreatedAt = now,
                ExpiresAt = now + timeout,
            };
            request = await _store.CreateOrGetAsync(candidate, cancellationToken);
            if (request.Id == candidate.Id)
            {
                await _audit.AppendAsync(
                    [call.Entry(AuditEventKind.ApprovalRequested, now) with
                    {
                        ApprovalId = request.Id,
                        NeededApproval = true,
                        Verdict = "require_approval",
                        Reasons = [.. request.Reasons, $"risk {request.Risk}, quorum {request.Quorum}, expires {request.ExpiresAt:O}"],
                    }],
                    cancellationToken);
                GateLog.ApprovalRequested(_logger, tool, call.ActionId, request.Id, request.Risk.ToString());
            }
        }
        catch (Exception ex) when (IsInfrastructureFailure(ex, cancellationToken))
        {
            return FailClosed(call, ex);
        }

        if (request.PayloadHash != call.PayloadHash)
        {
            return await DenyAsync(
                call,
                DenialKind.ApprovalNotUsable,
                [$"idempotency key '{call.Request.IdempotencyKey}' belongs to approval {request.Id} for a different payload; an approval never authorises another payload"],
                reviewer: null,
                comment: null,
                TimeSpan.Zero);
        }

        var waited = TimeSpan.Zero;
        if (request.Status == ApprovalStatus.Pending)
        {
            if (behavior == OnReviewBehavior.FailClosed)
            {
                Notify(request, CancellationToken.None);
                return ApprovalResolution.Rejected(new ApprovalPendingException(tool, call.ActionId, request.Id, request.IdempotencyKey), TimeSpan.Zero);
            }

            var waitStarted = _timeProvider.GetTimestamp();
            using var notification = new CancellationTokenSource();
            Notify(request, notification.Token);
            try
            {
                request = await WaitAsync(call, request, cancellationToken);
            }
            catch (Exception ex) when (IsInfrastructureFailure(ex, cancellationToken))
            {
                return FailClosed(call, ex);
            }
            finally
            {
                await notification.CancelAsync();
                waited = _timeProvider.GetElapsedTime(waitStarted);
                _metrics.ApprovalWait(waited, ReviewRecorder.StatusText(request.Status));
            }
        }

        return await ConcludeAsync(call, request, waited, cancellationToken);
    }

    public async ValueTask AppendBestEffortAsync(IReadOnlyList<AuditEntry> entries, string actionId)
    {
        try
        {
            await _audit.AppendAsync(entries, CancellationToken.None);
        }
#pragma warning disable CA1031 // After a call has run (or been denied), an audit failure is reported, never thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _metrics.AuditFailure();
            GateLog.AuditAfterRunFailed(_logger, ex, actionId);
        }
    }

    private async Task<ApprovalRequest> WaitAsync(GateCall call, ApprovalRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = request.ExpiresAt - _timeProvider.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(remaining, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                try
                {
                    return await _store.WaitForResolutionAsync(request.Id, linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The timeout fired; fall through and expire the request.
                }
            }

            var now = _timeProvider.GetUtcNow();
            if (await _store.TryExpireAsync(request.Id, now, cancellationToken))
            {
                await AppendBestEffortAsync(
                    [call.Entry(AuditEventKind.Decided, now) with
                    {
                        ApprovalId = request.Id,
                        NeededApproval = true,
                        Approved = false,
                        Verdict = "expired",
                        DecisionSource = "timeout",
                        Actor = "timeout",
                        Reasons = [$"no decision before {request.ExpiresAt:O}"],
                    }],
                    call.ActionId);
                return request with { Status = ApprovalStatus.Expired };
            }

            request = await _store.GetAsync(request.Id, cancellationToken)
                ?? throw new CountersignStoreException($"Approval {request.Id} disappeared from the store while a call waited for it.", isTransient: false);
            if (request.IsResolved)
            {
                return request;
            }
        }
    }

    private async Task<ApprovalResolution> ConcludeAsync(GateCall call, ApprovalRequest request, TimeSpan waited, CancellationToken cancellationToken)
    {
        switch (request.Status)
        {
            case ApprovalStatus.Granted:
                bool claimed;
                try
                {
                    claimed = await _store.TryConsumeAsync(request.Id, call.PayloadHash, _timeProvider.GetUtcNow(), cancellationToken);
                }
                catch (Exception ex) when (IsInfrastructureFailure(ex, cancellationToken))
                {
                    return FailClosed(call, ex);
                }

                if (!claimed)
                {
                    var reason = request.GrantExpiresAt is { } until && until <= _timeProvider.GetUtcNow()
                        ? $"the grant of approval {request.Id} expired at {until:O}"
                        : $"approval {request.Id} was already used: an approval authorises one execution";
                    return await DenyAsync(call, DenialKind.ApprovalNotUsable, [reason], null, null, waited);
                }

                var approvals = request.Decisions.Where(d => d.Approved).ToList();
                var release = call.ExecutedEntry(_timeProvider.GetUtcNow(), ExecutionPath.Approved, wouldBlock: false) with
                {
                    ApprovalId = request.Id,
                    Approved = true,
                    Actor = string.Join(", ", approvals.Select(d => d.Reviewer)),
                    DecisionSource = string.Join(", ", approvals.Select(d => d.Source).Distinct(StringComparer.Ordinal)),
                    Comment = string.Join(" | ", approvals.Where(d => d.Comment is not null).Select(d => d.Comment)) is { Length: > 0 } c ? c : null,
                };
                return new ApprovalResolution(null, [release], waited);

            case ApprovalStatus.Denied:
                var veto = request.Decisions.LastOrDefault(d => !d.Approved);
                return await DenyAsync(call, DenialKind.Reviewer, request.Reasons, veto?.Reviewer, veto?.Comment, waited);

            case ApprovalStatus.Expired:
                return await DenyAsync(call, DenialKind.Timeout, [$"approval {request.Id} expired at {request.ExpiresAt:O} without a decision"], null, null, waited);

            case ApprovalStatus.Consumed:
                return await DenyAsync(call, DenialKind.ApprovalNotUsable, [$"approval {request.Id} was already used: an approval authorises one execution"], null, null, waited);

            default:
                throw new InvalidOperationException($"Approval {request.Id} is still pending after the wait.");
        }
    }

    private async Task<ApprovalResolution> DenyAsync(GateCall call, DenialKind kind, IReadOnlyList<string> reasons, string? reviewer, string? comment, TimeSpan waited)
    {
        var denial = new ActionDeniedException(call.Request.ToolName, kind, reasons, call.ActionId, reviewer, comment);
        await AppendBestEffortAsync([call.NotExecutedEntry(_timeProvider.GetUtcNow(), denial)], call.ActionId);
        GateLog.Denied(_logger, call.Request.ToolName, call.ActionId, denial.Message);
        return ApprovalResolution.Rejected(denial, waited);
    }

    private ApprovalResolution FailClosed(GateCall call, Exception ex)
    {
        GateLog.FailedClosed(_logger, ex, call.Request.ToolName, call.ActionId);
        var denial = new ActionDeniedException(
            call.Request.ToolName, DenialKind.StoreUnavailable, ["the approval store or audit log failed: " + ex.Message], call.ActionId, innerException: ex);
        return ApprovalResolution.Rejected(denial, TimeSpan.Zero);
    }

    private void Notify(ApprovalRequest request, CancellationToken cancellationToken)
    {
        if (_channels.Count == 0 || !_notified.TryAdd(request.Id, 0))
        {
            return;
        }

        var deliveries = new Task[_channels.Count];
        for (var i = 0; i < deliveries.Length; i++)
        {
            var channel = _channels[i];
            deliveries[i] = Task.Run(
                async () =>
                {
                    try
                    {
                        await channel.NotifyAsync(request, _reviews, cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // The request was resolved elsewhere or timed out; the channel has nothing left to do.
                    }
#pragma warning disable CA1031 // A channel failure leaves the request pending; it must not break the guarded call.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        GateLog.ChannelFailed(_logger, ex, channel.Name, request.Id);
                    }
                },
                CancellationToken.None);
        }

        // Once the channels are done, a later call for the same request may notify again rather than leak the entry.
        _ = Task.WhenAll(deliveries).ContinueWith(_ => _notified.TryRemove(request.Id, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static bool IsInfrastructureFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
