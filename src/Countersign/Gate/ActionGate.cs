using System.Diagnostics;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Execution;
using Countersign.Pipeline;
using Countersign.Policy;
using Countersign.Serialization;
using Countersign.Telemetry;

namespace Countersign;

/// <summary>
/// Decides whether a call may run — allow, deny, or hold it for reviewers — runs it at most once, and audits every step.
/// Build one with <see cref="ActionGateBuilder"/> or <c>services.AddCountersign()</c>; it is thread-safe and meant to be shared.
/// </summary>
/// <remarks>
/// A call passes two phases: <see cref="AuthorizeAsync"/> runs the stages (validation, your stages, policy, mode,
/// approval, execution) and commits the release to the audit log; <see cref="CompleteAsync"/> records how the call
/// ended. <see cref="ExecuteOutcomeAsync{TResult}"/> runs both around a delegate. Guarded calls are user code, so the
/// gate does not use <c>ConfigureAwait(false)</c> around them: a tool that needs its caller's context keeps it.
/// </remarks>
public sealed class ActionGate : IAsyncDisposable, IDisposable
{
    private readonly GatePipeline _pipeline;
    private readonly PolicyStage _policy;
    private readonly CountersignOptions _options;
    private readonly GateTelemetry _telemetry;
    private readonly IReadOnlyList<IAsyncDisposable> _owned;

    internal ActionGate(
        GatePipeline pipeline,
        PolicyStage policy,
        IApprovalStore store,
        IAuditLog audit,
        IExecutionLedger ledger,
        PayloadHasher hasher,
        ReviewRecorder reviews,
        Governance.GateGovernance governance,
        CountersignOptions options,
        GateTelemetry telemetry,
        IReadOnlyList<IAsyncDisposable> owned)
    {
        _pipeline = pipeline;
        _policy = policy;
        Approvals = store;
        AuditLog = audit;
        Executions = ledger;
        PayloadHasher = hasher;
        Reviews = reviews;
        Governance = governance;
        _options = options;
        _telemetry = telemetry;
        _owned = owned;
    }

    /// <summary>Gets the operator's side of governance: halts, scopes, presence and model usage.</summary>
    public Governance.GateGovernance Governance { get; }

    /// <summary>Gets the policy the gate applies.</summary>
    public ActionPolicy Policy => _policy.Policy;

    /// <summary>Gets the store holding approvals.</summary>
    public IApprovalStore Approvals { get; }

    /// <summary>Gets the audit log.</summary>
    public IAuditLog AuditLog { get; }

    /// <summary>Gets the ledger that holds the one execution each idempotency key allows.</summary>
    public IExecutionLedger Executions { get; }

    /// <summary>Gets the recorder through which reviewers' decisions are made.</summary>
    public ReviewRecorder Reviews { get; }

    /// <summary>Gets the hasher that binds approvals to exact payloads.</summary>
    public PayloadHasher PayloadHasher { get; }

    /// <summary>Gets the stages every call passes, in order (validation runs before them).</summary>
    public IReadOnlyList<GateStage> Stages => _pipeline.Stages;

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

        _telemetry.Dispose();
    }

    /// <summary>Disposes what the builder handed to the gate, blocking until stores have flushed; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Evaluates the policy for <paramref name="request"/> without running or recording anything.</summary>
    /// <param name="request">The call to judge.</param>
    /// <returns>The policy's verdict.</returns>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public PolicyDecision Evaluate(ActionRequest request)
    {
        ValidationStage.Validate(request);
        return _policy.Evaluate(request);
    }

    /// <summary>
    /// The first phase on its own: runs every stage up to and including the claim, and commits the release to the
    /// audit log. Run the call only when <see cref="GateAuthorization.IsAuthorized"/>, then report how it ended with
    /// <see cref="CompleteAsync"/>. A remote caller is authorised this way and runs the call itself.
    /// </summary>
    /// <param name="request">The call.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting for reviewers.</param>
    /// <returns>The authorisation, or the denial or pending approval that stops the call.</returns>
    /// <exception cref="ArgumentException">The request is invalid (empty tool name, payload too large, ...).</exception>
    public async Task<GateAuthorization> AuthorizeAsync(ActionRequest request, GateCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity();
        return await _pipeline.AuthorizeAsync(request, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The second phase: records how an authorised call ended and tells the stages. Never throws for audit failures.</summary>
    /// <param name="authorization">What <see cref="AuthorizeAsync"/> returned.</param>
    /// <param name="outcome">The call's result or error.</param>
    /// <returns>A task that completes when the outcome is recorded.</returns>
    /// <exception cref="InvalidOperationException">The call was not authorised, or was completed already.</exception>
    public ValueTask CompleteAsync(GateAuthorization authorization, CallOutcome outcome) => _pipeline.CompleteAsync(authorization, outcome);

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
        using var activity = StartActivity();
        var authorization = await _pipeline.AuthorizeAsync(request, options, cancellationToken);
        if (!authorization.IsAuthorized)
        {
            return Rejected<TResult>(authorization);
        }

        TResult result;
        try
        {
            result = await action(cancellationToken);
        }
        catch (Exception ex)
        {
            await _pipeline.CompleteAsync(authorization, CallOutcome.Failure(ex));
            throw;
        }

        await _pipeline.CompleteAsync(authorization, CallOutcome.Success(result));
        return GateOutcome<TResult>.Executed(authorization.ActionId, result, authorization.Path, authorization.WouldBlock);
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
                return NoResult.Instance;
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
                return new ValueTask<NoResult>(NoResult.Instance);
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

    private static Activity? StartActivity() =>
        Activity.Current is { Source.Name: CountersignTelemetry.Name }
            ? null
            : CountersignTelemetry.ActivitySource.StartActivity("countersign.gate", ActivityKind.Internal);

    // A retry of a key that already ran gets that run's result when one was recorded in full; otherwise the denial
    // says which action ran it.
    private static GateOutcome<TResult> Rejected<TResult>(GateAuthorization authorization)
    {
        if (authorization.Rejection is ApprovalPendingException pending)
        {
            return GateOutcome<TResult>.Pending(pending);
        }

        var denial = (ActionDeniedException)authorization.Rejection!;
        if (authorization.Context.EarlierExecution is { Status: ExecutionStatus.Succeeded } earlier
            && string.Equals(earlier.PayloadHash, authorization.Context.PayloadHash, StringComparison.Ordinal)
            && TryReadResult<TResult>(earlier.ResultJson, out var result))
        {
            return GateOutcome<TResult>.Replayed(authorization.ActionId, earlier.ActionId, result);
        }

        return GateOutcome<TResult>.Denied(denial);
    }

    private static bool TryReadResult<TResult>(string? json, out TResult result)
    {
        if (typeof(TResult) == typeof(NoResult))
        {
            result = (TResult)(object)NoResult.Instance;
            return true;
        }

        result = default!;
        if (json is null)
        {
            return false;
        }

        try
        {
#pragma warning disable IL2026, IL3050 // Replayed results use reflection-based JSON, as results are recorded with it.
            var value = JsonSerializer.Deserialize<TResult>(json);
#pragma warning restore IL2026, IL3050
            if (value is null && default(TResult) is not null)
            {
                return false;
            }

            result = value!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
