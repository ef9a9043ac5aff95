using Countersign.Approvals;
using Countersign.Client.Protocol;
using Countersign.Pipeline;
using Countersign.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Actions;

/// <summary>
/// Runs remote agents' calls through the application's one <see cref="ActionGate"/>: submit is the authorise phase
/// (never blocking — a call that needs review answers pending), claim authorises again by the same idempotency key (the
/// gate re-attaches to the approval and claims the grant once, bound to the payload hash), and report is the complete phase.
/// </summary>
internal sealed class RemoteCalls
{
    private readonly ActionGate _gate;
    private readonly OpenAuthorizations _open;
    private readonly IdempotentAnswers _answers;
    private readonly TimeProvider _timeProvider;
    private readonly CountersignServerOptions _options;

    public RemoteCalls(ActionGate gate, OpenAuthorizations open, IdempotentAnswers answers, TimeProvider timeProvider, IOptions<CountersignServerOptions> options)
    {
        _gate = gate;
        _open = open;
        _answers = answers;
        _timeProvider = timeProvider;
        _options = options.Value;
    }

    public async Task<ActionVerdict> SubmitAsync(string appId, ActionSubmission submission, CancellationToken cancellationToken)
    {
        var key = ApiText.Identifier(submission.IdempotencyKey, "idempotencyKey");
        if (key is null)
        {
            // Only a call that will wait for reviewers needs a key (its claim re-attaches by it); an allowed call without
            // one is not held in the execution ledger, as in the in-process gate.
            var (probe, probeOptions) = Describe(appId, submission, null);
            if (_gate.Evaluate(probe).Effect != PolicyEffect.RequireApproval)
            {
                return await AuthorizeAsync(appId, probe, probeOptions, null, cancellationToken).ConfigureAwait(false);
            }

            key = "srv_" + Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");
        }

        var (request, callOptions) = Describe(appId, submission, key);
        var (started, earlier) = _answers.Begin(appId, key, _gate.PayloadHasher.Compute(request));
        if (earlier is not null)
        {
            return earlier;
        }

        try
        {
            var verdict = await AuthorizeAsync(appId, request, callOptions, key, cancellationToken).ConfigureAwait(false);
            IdempotentAnswers.Complete(started!, verdict);
            return verdict;
        }
        catch
        {
            _answers.Abandon(started!);
            throw;
        }
    }

    public async Task<ActionVerdict> ClaimAsync(string appId, string approvalId, ActionSubmission submission, CancellationToken cancellationToken)
    {
        var key = ApiText.Identifier(submission.IdempotencyKey, "idempotencyKey")
            ?? throw new ApiProblemException(StatusCodes.Status400BadRequest, "Missing idempotency key", "A claim repeats the submission with its idempotency key.");
        var approval = await FindOwnedAsync(appId, approvalId, cancellationToken).ConfigureAwait(false);
        var (request, _) = Describe(appId, submission, key);
        if (!string.Equals(approval.IdempotencyKey, request.IdempotencyKey, StringComparison.Ordinal))
        {
            throw new ApiProblemException(
                StatusCodes.Status409Conflict,
                "Claim does not match the approval",
                $"Approval {approvalId} was not requested with idempotency key '{key}'; claim with the key of the submission that created it.");
        }

        return await AuthorizeAsync(appId, request, new GateCallOptions { OnReview = OnReviewBehavior.FailClosed }, key, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReportAsync(string appId, string actionId, OutcomeReport report)
    {
        var authorization = _open.TryTake(appId, actionId)
            ?? throw new ApiProblemException(
                StatusCodes.Status404NotFound,
                "No open call",
                $"Action {actionId} has no outcome to report: it was not allowed, was reported already, belongs to another app, or its report window passed.");
        var outcome = report.Succeeded
            ? CallOutcome.Success(report.Result)
            : CallOutcome.Failure(ApiText.Optional(report.Error, "error", _options.MaxTextLength) is { Length: > 0 } error ? error : "the call failed");
        await _gate.CompleteAsync(authorization, outcome).ConfigureAwait(false);
    }

    /// <summary>Reads an approval the app created; another app's approval is reported as not found.</summary>
    public async Task<ApprovalRequest> FindOwnedAsync(string appId, string approvalId, CancellationToken cancellationToken)
    {
        ApiText.RouteId(approvalId, "apr_");
        var approval = await _gate.Approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false);
        if (approval is null || approval.IdempotencyKey?.StartsWith(appId + ":", StringComparison.Ordinal) != true)
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Approval not found", $"No approval '{approvalId}' was requested by this app.");
        }

        return approval;
    }

    private async Task<ActionVerdict> AuthorizeAsync(string appId, ActionRequest request, GateCallOptions callOptions, string? key, CancellationToken cancellationToken)
    {
        var authorization = await _gate.AuthorizeAsync(request, callOptions, cancellationToken).ConfigureAwait(false);
        if (authorization.IsAuthorized)
        {
            _open.Add(appId, authorization);
        }

        return ActionVerdicts.From(authorization, key);
    }

    // The gate's key is scoped to the app, so one app can neither re-attach to nor claim another's approval.
    private (ActionRequest Request, GateCallOptions Options) Describe(string appId, ActionSubmission submission, string? key)
    {
        var max = _options.MaxTextLength;
        var request = new ActionRequest
        {
            ToolName = ApiText.Identifier(submission.Tool, "tool")!,
            AgentId = ApiText.Identifier(submission.AgentId, "agentId") ?? appId,
            SessionId = ApiText.Identifier(submission.SessionId, "sessionId"),
            RequestedBy = ApiText.Identifier(submission.RequestedBy, "requestedBy"),
            Description = ApiText.Optional(submission.Description, "description", max),
            IdempotencyKey = key is null ? null : appId + ":" + key,
        };
        if (submission.Arguments is { } arguments)
        {
            request = request with { Arguments = arguments };
        }

        var onReview = submission.OnReview switch
        {
            null or "pending" => OnReviewBehavior.FailClosed,
            "fail_open" => OnReviewBehavior.FailOpen,
            "shadow" => OnReviewBehavior.Shadow,
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid onReview", "'onReview' is 'pending', 'fail_open' or 'shadow'."),
        };
        TimeSpan? timeout = submission.ReviewTimeoutSeconds switch
        {
            null => null,
            >= 1 and <= 7 * 24 * 3600 and var seconds => TimeSpan.FromSeconds(seconds),
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid reviewTimeoutSeconds", "'reviewTimeoutSeconds' is between 1 and 604800."),
        };
        return (request, new GateCallOptions { OnReview = onReview, ReviewTimeout = timeout });
    }
}
