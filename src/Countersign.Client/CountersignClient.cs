using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Countersign.Client.Protocol;
using Countersign.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace Countersign.Client;

/// <summary>
/// The gate's guard API for a remote agent: each call is submitted to a Countersign server, which runs its gate's
/// pipeline; a call that needs review waits for the decision (long-poll, reconnecting across server restarts), claims
/// the grant, runs, and reports its outcome. Switching from the in-process <see cref="ActionGate"/> is one line: the
/// <c>ExecuteAsync</c>, <c>ExecuteOutcomeAsync</c>, <c>GuardedAsync</c> and <c>Guard</c> shapes are the same.
/// </summary>
/// <remarks>
/// When the server cannot be reached the call is denied with <see cref="ServerUnreachable"/> (enforcement fails
/// closed), or, with <see cref="CountersignClientOptions.WhenUnreachable"/> set to shadow, runs and is logged. A call
/// repeated with the same idempotency key — also by a restarted process — re-attaches to its approval.
/// </remarks>
public sealed class CountersignClient : IDisposable
{
    /// <summary>The denial of a call whose server could not be reached.</summary>
    public static readonly DenialReason ServerUnreachable = new("server_unreachable", "denied: the Countersign server could not be reached, so enforcement failed closed");

    /// <summary>The denial of a call the server refused to judge (bad credentials, bad input).</summary>
    public static readonly DenialReason ServerRefused = new("server_refused", "denied: the Countersign server refused the request");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly HttpClient _http;
    private readonly CountersignClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IDisposable? _owned;

    /// <summary>Creates a client on an <see cref="HttpClient"/> that signs its requests (see <see cref="CountersignClientServiceCollectionExtensions.AddCountersignClient"/>).</summary>
    /// <param name="http">The signing HTTP client, its base address set to the server.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">A logger, or none.</param>
    public CountersignClient(HttpClient http, IOptions<CountersignClientOptions> options, TimeProvider? timeProvider = null, ILogger<CountersignClient>? logger = null)
        : this(http, options, timeProvider, logger, null)
    {
    }

    private CountersignClient(HttpClient http, IOptions<CountersignClientOptions> options, TimeProvider? timeProvider, ILogger? logger, IDisposable? owned)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _owned = owned;
    }

    /// <summary>Creates a client without a container of your own: it builds one holding the signing, retrying HTTP client.</summary>
    /// <param name="configure">Sets the options; unset ones are read from <c>COUNTERSIGN_URL</c>, <c>COUNTERSIGN_APP_ID</c> and <c>COUNTERSIGN_SECRET</c>.</param>
    /// <returns>The client; dispose it to release its HTTP resources.</returns>
    /// <exception cref="ArgumentException">The base address, app id or secret is missing.</exception>
    public static CountersignClient Create(Action<CountersignClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCountersignClient(configure);
        var provider = services.BuildServiceProvider();
        try
        {
            return new CountersignClient(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(CountersignClientServiceCollectionExtensions.HttpClientName),
                provider.GetRequiredService<IOptions<CountersignClientOptions>>(),
                provider.GetService<TimeProvider>(),
                provider.GetService<ILogger<CountersignClient>>(),
                provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();

    /// <summary>Runs <paramref name="action"/> if the server's gate allows it, returning the outcome instead of throwing for denials.</summary>
    /// <typeparam name="TResult">The call's result type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides: <see cref="OnReviewBehavior.FailClosed"/> returns pending instead of waiting.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>The outcome: executed with a result, denied, or pending.</returns>
    public async Task<GateOutcome<TResult>> ExecuteOutcomeAsync<TResult>(
        ActionRequest request,
        Func<CancellationToken, ValueTask<TResult>> action,
        GateCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(action);
        var submission = Describe(request, options);
        ActionVerdict verdict;
        try
        {
            verdict = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            if (verdict.Verdict == ActionVerdict.Pending)
            {
                if (options?.OnReview == OnReviewBehavior.FailClosed)
                {
                    return GateOutcome<TResult>.Pending(new ApprovalPendingException(request.ToolName, verdict.ActionId, verdict.ApprovalId!, verdict.IdempotencyKey));
                }

                await WaitForDecisionAsync(verdict, cancellationToken).ConfigureAwait(false);
                var claim = submission with { IdempotencyKey = verdict.IdempotencyKey };
                verdict = await SendAsync<ActionVerdict>(HttpMethod.Post, $"v1/approvals/{verdict.ApprovalId}/claim", claim, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return await UnreachableAsync(request, action, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (ServerRefusedException ex)
        {
            return GateOutcome<TResult>.Denied(new ActionDeniedException(request.ToolName, ServerRefused, [ex.Message], null));
        }

        return verdict.Verdict switch
        {
            ActionVerdict.Allow when verdict.Replayed => GateOutcome<TResult>.Denied(new ActionDeniedException(
                request.ToolName, DenialReason.AlreadyExecuted, [$"the server already allowed idempotency key '{submission.IdempotencyKey}' as action {verdict.ActionId}"], verdict.ActionId)),
            ActionVerdict.Allow => await RunAsync(verdict, action, cancellationToken).ConfigureAwait(false),
            ActionVerdict.Pending => GateOutcome<TResult>.Pending(new ApprovalPendingException(request.ToolName, verdict.ActionId, verdict.ApprovalId!, verdict.IdempotencyKey)),
            _ => GateOutcome<TResult>.Denied(new ActionDeniedException(
                request.ToolName,
                new DenialReason(verdict.DenialCode ?? "denied", verdict.DenialSummary ?? "denied"),
                verdict.Reasons,
                verdict.ActionId,
                verdict.Reviewer,
                verdict.Comment)),
        };
    }

    /// <summary>Runs <paramref name="action"/> if the server's gate allows it.</summary>
    /// <typeparam name="TResult">The call's result type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ActionDeniedException">The call was denied, or the server could not be reached.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and fail-closed was asked for.</exception>
    public async Task<TResult> ExecuteAsync<TResult>(
        ActionRequest request,
        Func<CancellationToken, ValueTask<TResult>> action,
        GateCallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        (await ExecuteOutcomeAsync(request, action, options, cancellationToken).ConfigureAwait(false)).GetResultOrThrow();

    /// <summary>Runs <paramref name="action"/> if the server's gate allows it.</summary>
    /// <param name="request">The call.</param>
    /// <param name="action">The call itself; it runs at most once.</param>
    /// <param name="options">Per-call overrides.</param>
    /// <param name="cancellationToken">Cancels waiting; passed to <paramref name="action"/>.</param>
    /// <returns>A task that completes when the call has run.</returns>
    /// <exception cref="ActionDeniedException">The call was denied, or the server could not be reached.</exception>
    /// <exception cref="ApprovalPendingException">The call needs approval and fail-closed was asked for.</exception>
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
                await action(ct).ConfigureAwait(false);
                return NoResult.Instance;
            },
            options,
            cancellationToken).ConfigureAwait(false);
        outcome.GetResultOrThrow();
    }

    private static ActionSubmission Describe(ActionRequest request, GateCallOptions? options) => new()
    {
        Tool = request.ToolName,
        Arguments = request.Arguments,
        AgentId = request.AgentId,
        SessionId = request.SessionId,
        RequestedBy = request.RequestedBy,
        Description = request.Description,
        IdempotencyKey = request.IdempotencyKey,
        OnReview = options?.OnReview switch
        {
            OnReviewBehavior.FailOpen => "fail_open",
            OnReviewBehavior.Shadow => "shadow",
            _ => null,
        },
        ReviewTimeoutSeconds = options?.ReviewTimeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : null,
    };

    // A concurrent duplicate (409) is still being decided by the server: ask again until it has the answer.
    private async Task<ActionVerdict> SubmitAsync(ActionSubmission submission, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendAsync<ActionVerdict>(HttpMethod.Post, "v1/actions", submission, cancellationToken).ConfigureAwait(false);
            }
            catch (ServerRefusedException ex) when (ex.Status == HttpStatusCode.Conflict && attempt < 10)
            {
                await Task.Delay(_options.ReconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Long-polls until the approval is resolved; a lost server is retried until the approval's expiry has passed.
    private async Task WaitForDecisionAsync(ActionVerdict pending, CancellationToken cancellationToken)
    {
        await NotifyWaitingAsync(pending.ApprovalId!).ConfigureAwait(false);
        var giveUpAt = (pending.ExpiresAt ?? _timeProvider.GetUtcNow()) + TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(_options.LongPollWait.TotalSeconds);
        while (true)
        {
            try
            {
                var view = await SendAsync<ApprovalView>(HttpMethod.Get, $"v1/approvals/{pending.ApprovalId}/wait?timeoutSeconds={seconds}", null, cancellationToken).ConfigureAwait(false);
                if (view.Status != "pending")
                {
                    return;
                }
            }
            catch (Exception ex) when (IsUnreachable(ex, cancellationToken) && _timeProvider.GetUtcNow() < giveUpAt)
            {
                ClientLog.Reconnecting(_logger, pending.ApprovalId!, ex.Message);
                await Task.Delay(_options.ReconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask NotifyWaitingAsync(string approvalId)
    {
        if (_options.OnWaiting is not { } callback)
        {
            return;
        }

        try
        {
            await callback(approvalId).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A callback's failure is logged; it never changes the decision.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClientLog.CallbackFailed(_logger, ex);
        }
    }

    private async Task<GateOutcome<TResult>> RunAsync<TResult>(ActionVerdict verdict, Func<CancellationToken, ValueTask<TResult>> action, CancellationToken cancellationToken)
    {
        TResult result;
        try
        {
            result = await action(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ReportAsync(verdict.ActionId, new OutcomeReport { Succeeded = false, Error = $"{ex.GetType().Name}: {ex.Message}" }).ConfigureAwait(false);
            throw;
        }

        await ReportAsync(verdict.ActionId, new OutcomeReport { Succeeded = true, Result = ResultElement(result) }).ConfigureAwait(false);
        var path = verdict.Path switch
        {
            "approved" => ExecutionPath.Approved,
            "shadow_mode" => ExecutionPath.ShadowMode,
            "fail_open" => ExecutionPath.FailOpen,
            "review_shadow" => ExecutionPath.ReviewShadow,
            _ => ExecutionPath.Allowed,
        };
        return GateOutcome<TResult>.Executed(verdict.ActionId, result, path, verdict.WouldBlock);
    }

    private static JsonElement? ResultElement(object? result)
    {
        if (result is null or NoResult)
        {
            return null;
        }

        try
        {
            return ActionArguments.From(result);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // The call already ran: a lost report is logged, never thrown at the caller (the server completes it as unreported).
    private async Task ReportAsync(string actionId, OutcomeReport report)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync($"v1/actions/{actionId}/outcome", report, Json, CancellationToken.None).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                ClientLog.ReportFailed(_logger, actionId, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
#pragma warning disable CA1031 // See above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClientLog.ReportFailed(_logger, actionId, ex.Message);
        }
    }

    private async Task<GateOutcome<TResult>> UnreachableAsync<TResult>(ActionRequest request, Func<CancellationToken, ValueTask<TResult>> action, Exception cause, CancellationToken cancellationToken)
    {
        if (_options.WhenUnreachable == EnforcementMode.Enforce)
        {
            ClientLog.FailedClosed(_logger, request.ToolName, cause.Message);
            return GateOutcome<TResult>.Denied(new ActionDeniedException(request.ToolName, ServerUnreachable, [cause.Message], null, innerException: cause));
        }

        ClientLog.ShadowRun(_logger, request.ToolName, cause.Message);
        var result = await action(cancellationToken).ConfigureAwait(false);
        return GateOutcome<TResult>.Executed(string.Empty, result, ExecutionPath.ShadowMode, wouldBlock: false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            message.Content = JsonContent.Create(body, body.GetType(), options: Json);
            await message.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            if ((int)response.StatusCode >= 500)
            {
                throw new HttpRequestException($"The server answered {(int)response.StatusCode}.", null, response.StatusCode);
            }

            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new ServerRefusedException(response.StatusCode, Detail(problem) ?? $"the server answered {(int)response.StatusCode}");
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The server sent an empty answer.");
    }

    private static string? Detail(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException => true,
        ExecutionRejectedException => true,
        IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private sealed class ServerRefusedException(HttpStatusCode status, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;
    }
}
