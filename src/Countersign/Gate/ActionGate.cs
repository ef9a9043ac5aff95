using System.Diagnostics;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Redaction;
using Countersign.Serialization;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging;

namespace Countersign;

/// <summary>
/// Decides whether a call may run — allow, deny, or hold it for reviewers — runs it at most once, and audits every step.
/// Build one with <see cref="ActionGateBuilder"/> or <c>services.AddCountersign()</c>; it is thread-safe and meant to be shared.
/// </summary>
/// <remarks>
/// Guarded calls are user code, so the gate does not use <c>ConfigureAwait(false)</c> around them: a tool that needs its
/// caller's context keeps it.
/// </remarks>
public sealed class ActionGate : IAsyncDisposable, IDisposable
{
    private readonly PolicyEvaluator _policy;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly GateMetrics _metrics;
    private readonly CountersignOptions _options;
    private readonly ApprovalFlow _approvals;
    private readonly IReadOnlyList<IAsyncDisposable> _owned;
    private readonly string _modeName;

    internal ActionGate(
        ActionPolicy policy,
        IApprovalStore store,
        IAuditLog audit,
        PayloadHasher hasher,
        IReadOnlyList<IApprovalChannel> channels,
        CountersignOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        GateMetrics metrics,
        IReadOnlyList<IAsyncDisposable> owned)
    {
        _owned = owned;
        _modeName = CountersignEnvironment.ToSnakeCase(options.EnforcementMode.ToString());
        Policy = policy;
        _policy = new PolicyEvaluator(policy);
        Approvals = store;
        _audit = audit;
        PayloadHasher = hasher;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        Reviews = new ReviewRecorder(store, audit, timeProvider, options.GrantValidity, logger);
        _approvals = new ApprovalFlow(store, audit, channels, Reviews, options, timeProvider, logger, metrics);
    }

    /// <summary>Gets the policy the gate applies.</summary>
    public ActionPolicy Policy { get; }

    /// <summary>Gets the store holding approval requests.</summary>
    public IApprovalStore Approvals { get; }

    /// <summary>Gets the audit log.</summary>
    public IAuditLog AuditLog => _audit;

    /// <summary>Gets the recorder through which reviewers' decisions are made.</summary>
    public ReviewRecorder Reviews { get; }

    /// <summary>Gets the hasher that binds approvals to exact payloads.</summary>
    public PayloadHasher PayloadHasher { get; }

    /// <summary>Gets the enforcement mode in force (after environment overrides).</summary>
    public EnforcementMode EnforcementMode => _options.EnforcementMode;

    /// <summary>Gets the default on-review behaviour in force (after environment overrides).</summary>
    public OnReviewBehavior OnReview => _options.OnReview;

    /// <summary>Disposes what the builder handed to the gate (such as a store opened by <c>UseSqlite</c>) and the gate's meter.</summary>
    /// <returns>A task that completes when everything is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var resource in _owned)
        {
            await resource.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
    }

    /// <summary>Disposes what the builder handed to the gate, blocking until stores have flushed; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Evaluates the policy for <paramref name="request"/> without running or recording anything.</summary>
    /// <param name="request">The call to judge.</param>
    /// <returns>The policy's verdict.</returns>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public PolicyDecision Evaluate(ActionRequest request)
    {
        Validate(request);
        return _policy.Evaluate(request);
    }

    /// <summary>Runs <paramref name="action"/> if the gate allows it, returning the outcome instead of throwing for denials.</summary>
    /// <typeparam name="TResult">The call's result type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>The outcome: executed with a result, denied, or pending.</returns>
    /// <exception cref="ArgumentException">The request is invalid (empty tool name, payload too large, ...).</exception>
    /// <remarks>An exception thrown by <paramref name="action"/> is recorded and then rethrown unchanged.</remarks>
    public async Task<GateOutcome<TResult>> ExecuteOutcomeAsync<TResult>(
        ActionRequest request,
        Func<CancellationToken, ValueTask<TResult>> action,
        GateCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = _timeProvider.GetTimestamp();
        var call = Prepare(request);

        using var activity = CountersignTelemetry.ActivitySource.StartActivity("countersign.gate", ActivityKind.Internal);
        activity?.SetTag("countersign.tool", call.Request.ToolName);
        activity?.SetTag("countersign.action_id", call.ActionId);
        activity?.SetTag("countersign.verdict", call.VerdictName);
        activity?.SetTag("countersign.mode", call.ModeName);

        _metrics.Decision(call.VerdictName, call.ModeName);
        GateLog.Verdict(_logger, call.Request.ToolName, call.ActionId, call.VerdictName, call.ModeName);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            GateLog.Arguments(_logger, call.ActionId, call.RedactedArgumentsJson);
        }

        var effect = call.Decision.Effect;
        if (effect == PolicyEffect.Allow)
        {
            return await RunAsync(call, action, ExecutionPath.Allowed, wouldBlock: false, before: null, started, cancellationToken);
        }

        if (!call.Enforced)
        {
            _metrics.WouldBlock(call.Request.ToolName);
            GateLog.WouldBlock(_logger, call.Request.ToolName, call.ActionId, call.VerdictName);
            return await RunAsync(call, action, ExecutionPath.Shadow, wouldBlock: true, before: null, started, cancellationToken);
        }

        if (effect == PolicyEffect.Deny)
        {
            var denial = new ActionDeniedException(call.Request.ToolName, DenialKind.Policy, call.Decision.Reasons, call.ActionId);
            var now = _timeProvider.GetUtcNow();
            await _approvals.AppendBestEffortAsync(
                [call.RequestedEntry(now), call.VerdictEntry(now, wouldBlock: false), call.NotExecutedEntry(now, denial)], call.ActionId);
            GateLog.Denied(_logger, call.Request.ToolName, call.ActionId, denial.Message);
            _metrics.Overhead(_timeProvider.GetElapsedTime(started));
            return GateOutcome<TResult>.Denied(denial);
        }

        var behavior = options?.OnReview ?? _options.OnReview;
        if (behavior is OnReviewBehavior.FailOpen or OnReviewBehavior.Shadow)
        {
            _metrics.WouldBlock(call.Request.ToolName);
            GateLog.RanWithoutReview(_logger, call.Request.ToolName, call.ActionId, CountersignEnvironment.ToSnakeCase(behavior.ToString()));
            var path = behavior == OnReviewBehavior.FailOpen ? ExecutionPath.FailOpen : ExecutionPath.Shadow;
            return await RunAsync(call, action, path, wouldBlock: true, before: null, started, cancellationToken);
        }

        var approval = await _approvals.ResolveAsync(call, behavior, options?.ReviewTimeout, cancellationToken);
        _metrics.Overhead(_timeProvider.GetElapsedTime(started) - approval.Waited);
        return approval.Rejection switch
        {
            ActionDeniedException denied => GateOutcome<TResult>.Denied(denied),
            ApprovalPendingException pending => GateOutcome<TResult>.Pending(pending),
            _ => await RunAsync(call, action, ExecutionPath.Approved, wouldBlock: false, approval.ReleaseEntries, timestamp: null, cancellationToken),
        };
    }

    /// <summary>Runs <paramref name="action"/> if the gate allows it.</summary>
    /// <typeparam name="TResult">The call's result type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public async Task<TResult> ExecuteAsync<TResult>(
        ActionRequest request,
        Func<CancellationToken, ValueTask<TResult>> action,
        GateCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var outcome = await ExecuteOutcomeAsync(request, action, options, cancellationToken);
        return outcome.GetResultOrThrow();
    }

    /// <summary>Runs <paramref name="action"/> if the gate allows it.</summary>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>A task that completes when the call has run.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public async Task ExecuteAsync(
        ActionRequest request,
        Func<CancellationToken, ValueTask> action,
        GateCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var outcome = await ExecuteOutcomeAsync(
            request,
            async ct =>
            {
                await action(ct);
                return VoidResult.Instance;
            },
            options,
            cancellationToken);
        outcome.GetResultOrThrow();
    }

    /// <summary>Runs a synchronous <paramref name="action"/> if the gate allows it, blocking while reviewers decide.</summary>
    /// <typeparam name="TResult">The call's result type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public TResult Execute<TResult>(ActionRequest request, Func<TResult> action, GateCallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return WithoutSynchronizationContext(() => ExecuteAsync(request, _ => new ValueTask<TResult>(action()), options));
    }

    /// <summary>Runs a synchronous <paramref name="action"/> if the gate allows it, blocking while reviewers decide.</summary>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <exception cref="ActionDeniedException">The call was denied.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and the fail-closed behaviour is in force.</exception>
    public void Execute(ActionRequest request, Action action, GateCallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        WithoutSynchronizationContext(() => ExecuteAsync(
            request,
            _ =>
            {
                action();
                return new ValueTask<VoidResult>(VoidResult.Instance);
            },
            options));
    }

    // Blocking on the async pipeline under a UI or legacy ASP.NET context would deadlock: its continuations would
    // queue to the very thread that is blocked. Without a context they run on the thread pool.
    internal static TResult WithoutSynchronizationContext<TResult>(Func<Task<TResult>> run)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return run().GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private GateCall Prepare(ActionRequest request)
    {
        Validate(request);
        var canonical = CanonicalJson.ToUtf8Bytes(request.Arguments);
        if (canonical.Length > _options.MaxPayloadBytes)
        {
            throw new ArgumentException(
                $"The arguments of '{request.ToolName}' are {canonical.Length} bytes of canonical JSON; the limit is {_options.MaxPayloadBytes} (CountersignOptions.MaxPayloadBytes).",
                nameof(request));
        }

        var decision = EvaluatePolicy(request);
        var hash = PayloadHasher.ComputeCanonical(request.ToolName, canonical);
        var redacted = decision.RedactPaths.Count == 0
            ? System.Text.Encoding.UTF8.GetString(canonical)
            : JsonRedactor.Redact(request.Arguments, decision.RedactPaths);
        var enforced = _options.EnforcementMode switch
        {
            EnforcementMode.Enforce => true,
            EnforcementMode.Shadow => false,
            _ => SampleSelector.IsEnforced(request.IdempotencyKey, hash, _options.SamplePercent),
        };

        return new GateCall
        {
            Request = request,
            ActionId = "act_" + Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N"),
            RequestedBy = request.RequestedBy ?? _options.DefaultRequestedBy ?? request.AgentId,
            PayloadHash = hash,
            RedactedArgumentsJson = redacted,
            Decision = decision,
            Enforced = enforced,
            ModeName = _modeName,
        };
    }

    // A code predicate that throws must not let the call through, nor surface as a crash: the call is denied, and the
    // denial, like any other, is audited with the reason.
    private PolicyDecision EvaluatePolicy(ActionRequest request)
    {
        try
        {
            return _policy.Evaluate(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            GateLog.PolicyFailed(_logger, ex, request.ToolName);
            return new PolicyDecision
            {
                Effect = PolicyEffect.Deny,
                Reasons = [$"the policy could not be evaluated ({ex.GetType().Name}: {ex.Message}); the call is denied"],
            };
        }
    }

    private static void Validate(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ToolName))
        {
            throw new ArgumentException("The action needs a tool name; it is null, empty or white space.", nameof(request));
        }

        if (request.ToolName.Length > 256 || Countersign.Text.ReviewerText.ContainsUnsafeCharacter(request.ToolName))
        {
            throw new ArgumentException(
                $"The tool name '{request.ToolName[..Math.Min(request.ToolName.Length, 64)]}' is invalid: at most 256 characters and no control characters.",
                nameof(request));
        }

        if (request.Arguments.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The action's arguments are an undefined JSON value; use ActionArguments.From(...).", nameof(request));
        }
    }

    private async Task<GateOutcome<TResult>> RunAsync<TResult>(
        GateCall call,
        Func<CancellationToken, ValueTask<TResult>> action,
        ExecutionPath path,
        bool wouldBlock,
        IReadOnlyList<AuditEntry>? before,
        long? timestamp,
        CancellationToken cancellationToken)
    {
        if (before is null)
        {
            var now = _timeProvider.GetUtcNow();
            before = [call.RequestedEntry(now), call.VerdictEntry(now, wouldBlock), call.ExecutedEntry(now, path, wouldBlock)];
        }

        try
        {
            await _audit.AppendAsync(before, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing runs unless its release is on record: fail closed.
            GateLog.FailedClosed(_logger, ex, call.Request.ToolName, call.ActionId);
            var denial = new ActionDeniedException(
                call.Request.ToolName, DenialKind.StoreUnavailable, ["the audit log could not record the decision: " + ex.Message], call.ActionId, innerException: ex);
            return GateOutcome<TResult>.Denied(denial);
        }

        if (timestamp is { } started)
        {
            _metrics.Overhead(_timeProvider.GetElapsedTime(started));
        }

        TResult result;
        try
        {
            result = await action(cancellationToken);
        }
        catch (Exception ex)
        {
            await _approvals.AppendBestEffortAsync(
                [call.Entry(AuditEventKind.Outcome, _timeProvider.GetUtcNow()) with { Executed = true, ExecutionPath = GateCall.PathName(path), Error = $"{ex.GetType().Name}: {ex.Message}" }],
                call.ActionId);
            throw;
        }

        await _approvals.AppendBestEffortAsync(
            [call.Entry(AuditEventKind.Outcome, _timeProvider.GetUtcNow()) with { Executed = true, ExecutionPath = GateCall.PathName(path), ResultJson = DescribeResult(result, call) }],
            call.ActionId);
        return GateOutcome<TResult>.Executed(call.ActionId, result, path, wouldBlock);
    }

    private string? DescribeResult<TResult>(TResult result, GateCall call)
    {
        if (!_options.AuditResults || result is null or VoidResult)
        {
            return null;
        }

        string text;
        try
        {
            var element = ActionArguments.From(result);
            text = call.Decision.RedactPaths.Count == 0 ? CanonicalJson.ToString(element) : JsonRedactor.Redact(element, call.Decision.RedactPaths);
        }
        catch (ArgumentException)
        {
            text = $"<{result.GetType().Name}: not serializable>";
        }

        return text.Length <= _options.MaxAuditedResultLength ? text : text[.._options.MaxAuditedResultLength] + "…";
    }

    private sealed class VoidResult
    {
        public static readonly VoidResult Instance = new();
    }
}
