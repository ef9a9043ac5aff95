using Countersign.Execution;
using Countersign.Redaction;
using Countersign.Serialization;
using Countersign.Telemetry;

namespace Countersign.Pipeline;

/// <summary>
/// Runs a call through the stages in order (authorise), and tells them how it ended (complete). It alone writes the
/// gate's audit entries: the release is committed before the call may run, and a failure to commit denies it.
/// </summary>
internal sealed class GatePipeline
{
    private readonly ValidationStage _validation;
    private readonly GateStage[] _stages;
    private readonly ExecutionStage _execution;
    private readonly GateAuditWriter _audit;
    private readonly GateCallbacks _callbacks;
    private readonly CountersignOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    public GatePipeline(
        ValidationStage validation,
        GateStage[] stages,
        ExecutionStage execution,
        GateAuditWriter audit,
        GateCallbacks callbacks,
        CountersignOptions options,
        TimeProvider timeProvider,
        GateTelemetry telemetry)
    {
        _validation = validation;
        _stages = stages;
        _execution = execution;
        _audit = audit;
        _callbacks = callbacks;
        _options = options;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
    }

    public IReadOnlyList<GateStage> Stages => _stages;

    public async Task<GateAuthorization> AuthorizeAsync(ActionRequest request, GateCallOptions? callOptions, CancellationToken cancellationToken)
    {
        ValidationStage.Validate(request);
        var started = _timeProvider.GetTimestamp();
        var context = new GateContext(
            request,
            "act_" + Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N"),
            request.RequestedBy ?? _options.DefaultRequestedBy ?? request.AgentId,
            callOptions,
            _timeProvider);
        _validation.Apply(context);

        GateTelemetry.Started(context);

        var passed = 0;
        foreach (var stage in _stages)
        {
            StageResult result;
            try
            {
                result = await stage.AuthorizeAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CompleteStagesAsync(context, passed).ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _telemetry.StageFailed(context, stage, ex);
                result = StageResult.FailedClosed(DenialReason.StageFailed, $"stage '{stage.Name}' failed: {ex.Message}", ex);
            }

            if (stage is ModeStage)
            {
                _telemetry.Verdict(context);
            }

            if (!result.IsContinue)
            {
                return await RejectAsync(context, result, passed, started).ConfigureAwait(false);
            }

            passed++;
        }

        try
        {
            await _audit.CommitAsync(GateEvents.Authorized(context, _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing runs unless its release is on record: fail closed, and free the key it held.
            await _execution.ReleaseKeyAsync(context).ConfigureAwait(false);
            var failed = StageResult.FailedClosed(DenialReason.StoreUnavailable, "the audit log could not record the decision: " + ex.Message, ex);
            return await RejectAsync(context, failed, passed, started).ConfigureAwait(false);
        }

        _telemetry.Authorized(context, started);
        return new GateAuthorization(context, null, passed);
    }

    public async ValueTask CompleteAsync(GateAuthorization authorization, CallOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!authorization.IsAuthorized)
        {
            throw new InvalidOperationException($"Action {authorization.ActionId} was not authorised, so there is no outcome to record.");
        }

        if (!authorization.TryMarkCompleted())
        {
            throw new InvalidOperationException($"The outcome of action {authorization.ActionId} was already recorded; a call completes once.");
        }

        var context = authorization.Context;
        context.Outcome = outcome;
        if (outcome.Succeeded)
        {
            DescribeResult(context, outcome.Result);
        }

        GateTelemetry.Completed(outcome);
        await CompleteStagesAsync(context, authorization.StagesPassed).ConfigureAwait(false);
        await _audit.AppendBestEffortAsync(GateEvents.Executed(context, _timeProvider.GetUtcNow(), context.ResultJson, outcome.Error), context.ActionId).ConfigureAwait(false);
    }

    private async Task<GateAuthorization> RejectAsync(GateContext context, StageResult result, int passed, long started)
    {
        CountersignException rejection;
        if (result.Pending is { } pending)
        {
            rejection = pending;
        }
        else
        {
            var denial = new ActionDeniedException(context.Request.ToolName, result.Denial!, result.Details, context.ActionId, result.Reviewer, result.Comment, result.Cause);
            rejection = denial;
            await _audit.AppendBestEffortAsync(GateEvents.Denied(context, denial, _timeProvider.GetUtcNow()), context.ActionId).ConfigureAwait(false);
            await _callbacks.DeniedAsync(context, denial).ConfigureAwait(false);
        }

        await CompleteStagesAsync(context, passed).ConfigureAwait(false);
        _telemetry.Rejected(context, rejection, result.Cause, started);
        return new GateAuthorization(context, rejection, passed);
    }

    // Stages that passed the call learn how it ended (Outcome is null when a later stage stopped it), last first.
    private async ValueTask CompleteStagesAsync(GateContext context, int passed)
    {
        for (var i = passed - 1; i >= 0; i--)
        {
            try
            {
                await _stages[i].CompleteAsync(context, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The call has already run or been stopped; a stage's failure here is reported, not thrown.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _telemetry.StageCompletionFailed(context, _stages[i], ex);
            }
        }
    }

    private void DescribeResult(GateContext context, object? result)
    {
        if (!_options.AuditResults || result is null or NoResult)
        {
            return;
        }

        string text;
        bool masked;
        var redactPaths = context.Verdict?.RedactPaths ?? [];
        try
        {
            var element = ActionArguments.From(result);
            var canonical = CanonicalJson.ToString(element);
            text = redactPaths.Count == 0 ? canonical : JsonRedactor.Redact(element, redactPaths);
            masked = !string.Equals(text, canonical, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            context.ResultJson = CanonicalJson.Quote($"<{result.GetType().Name}: not serializable>");
            context.ResultIncomplete = true;
            return;
        }

        // A retry is handed the recorded result only when it is the whole result: nothing masked, nothing cut. A cut
        // result is no longer JSON, so it is recorded as a JSON string of the text that was kept.
        var limit = _options.MaxAuditedResultLength;
        context.ResultIncomplete = masked || text.Length > limit;
        if (text.Length > limit)
        {
            // Never cut a surrogate pair in two: half a character has no JSON form.
            var cut = limit > 0 && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
            text = CanonicalJson.Quote(string.Concat(text.AsSpan(0, cut), "…"));
        }

        context.ResultJson = text;
    }
}
