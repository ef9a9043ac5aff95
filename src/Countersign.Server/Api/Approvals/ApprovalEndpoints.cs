using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Countersign.Approvals;
using Countersign.Client.Protocol;
using Countersign.Server.Api.Actions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Approvals;

/// <summary>
/// <c>/v1/approvals</c>: remote agents wait for their approvals (long-poll or Server-Sent Events) and claim granted ones;
/// reviewers list, read and decide them. Reviews go through the core's <see cref="ReviewRecorder"/>, so separation of
/// duties, quorum and role rules are the store's, not this file's.
/// </summary>
internal static class ApprovalEndpoints
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static void MapApprovalEndpoints(this RouteGroupBuilder v1)
    {
        var approvals = v1.MapGroup("/approvals").WithTags("Approvals");
        approvals.MapGet("/", QueryAsync).RequireAuthorization(CountersignAuthentication.ViewerPolicy)
            .WithSummary("Lists approvals by status, tool, agent, risk and reviewer role, a keyset page at a time.");
        approvals.MapGet("/{approvalId}", GetAsync).RequireAuthorization(CountersignAuthentication.ViewerPolicy)
            .WithSummary("Reads one approval with its reviews.");
        approvals.MapPost("/{approvalId}/reviews", ReviewAsync).RequireAuthorization(CountersignAuthentication.ReviewerPolicy)
            .Accepts<ReviewSubmission>("application/json")
            .WithSummary("Approves or denies, with a comment; the core's self-approval, quorum and role rules apply.");
        approvals.MapGet("/{approvalId}/wait", WaitAsync).RequireAuthorization(CountersignAuthentication.AppPolicy)
            .WithSummary("Long-polls an approval of this app until it is resolved or the wait ends (?timeoutSeconds=, at most the server's limit).");
        approvals.MapGet("/{approvalId}/events", EventsAsync).RequireAuthorization(CountersignAuthentication.AppPolicy)
            .WithSummary("Streams an approval of this app as Server-Sent Events: its state now, heartbeats, and its resolution.");
        approvals.MapPost("/{approvalId}/claim", ClaimAsync).RequireAuthorization(CountersignAuthentication.AppPolicy)
            .Accepts<ActionSubmission>("application/json")
            .WithSummary("Claims a granted approval for one execution: repeat the submission; allowed once, bound to the payload.");
    }

    private static async Task<Ok<ApprovalPageView>> QueryAsync(
        IApprovalStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        string? status = null,
        string? tool = null,
        string? agent = null,
        string? minRisk = null,
        string? role = null,
        string? order = null,
        int? pageSize = null,
        string? after = null)
    {
        var query = new ApprovalQuery
        {
            Statuses = ParseStatuses(status),
            ToolName = ApiText.Identifier(tool, "tool"),
            AgentId = ApiText.Identifier(agent, "agent"),
            ReviewerRole = ApiText.Identifier(role, "role"),
            MinimumRisk = minRisk is null ? null : ParseEnum<RiskLevel>(minRisk, "minRisk"),
            Order = order switch
            {
                null or "newest" => ApprovalOrder.NewestFirst,
                "oldest" => ApprovalOrder.OldestFirst,
                _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid order", "'order' is 'newest' or 'oldest'."),
            },
            PageSize = pageSize ?? ApprovalQuery.DefaultPageSize,
            After = after is null
                ? null
                : ApprovalCursor.TryParse(after, out var cursor)
                    ? cursor
                    : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid cursor", "'after' must be the 'next' token of an earlier page."),
        };
        var now = timeProvider.GetUtcNow();
        var page = await store.QueryAsync(query, now, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ApprovalPageView([.. page.Items.Select(a => ApprovalViews.From(a, now))], page.NextCursor?.ToToken(), page.FeedPosition));
    }

    private static async Task<Ok<ApprovalView>> GetAsync(string approvalId, IApprovalStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ApiText.RouteId(approvalId, "apr_");
        var approval = await store.GetAsync(approvalId, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "Approval not found", $"No approval has the id '{approvalId}'.");
        return TypedResults.Ok(ApprovalViews.From(approval, timeProvider.GetUtcNow()));
    }

    private static async Task<Ok<ReviewOutcome>> ReviewAsync(
        string approvalId,
        HttpContext context,
        ReviewRecorder reviews,
        TimeProvider timeProvider,
        IOptions<CountersignServerOptions> options)
    {
        ApiText.RouteId(approvalId, "apr_");
        var body = ApiJson.Read<ReviewSubmission>(await ApiBody.ReadAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false));
        var approve = body.Decision switch
        {
            "approve" => true,
            "deny" => false,
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid decision", "'decision' is 'approve' or 'deny'."),
        };
        var comment = ApiText.Optional(body.Comment, "comment", options.Value.MaxTextLength);
        var reviewer = context.User.Identity?.Name is { Length: > 0 } name
            ? name
            : throw new ApiProblemException(StatusCodes.Status403Forbidden, "No reviewer identity", "The signed-in user has no name to record the review under.");
        var roles = context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var result = await reviews.DecideAsync(approvalId, reviewer, approve, comment, "api", roles, context.RequestAborted).ConfigureAwait(false);
        var (status, title, detail) = result.Kind switch
        {
            ReviewResultKind.Recorded => (0, string.Empty, string.Empty),
            ReviewResultKind.NotFound => (StatusCodes.Status404NotFound, "Approval not found", $"No approval has the id '{approvalId}'."),
            ReviewResultKind.AlreadyResolved => (StatusCodes.Status409Conflict, "Already resolved", "The approval was already granted, denied, expired or consumed."),
            ReviewResultKind.Expired => (StatusCodes.Status409Conflict, "Expired", "The approval's timeout passed before the review arrived."),
            ReviewResultKind.DuplicateReviewer => (StatusCodes.Status409Conflict, "Already reviewed", "You already reviewed this approval; a quorum needs distinct reviewers."),
            ReviewResultKind.SelfApproval => (StatusCodes.Status403Forbidden, "Self-approval", "You are the requester or the agent of this call; nobody reviews their own call."),
            ReviewResultKind.RoleNotAllowed => (StatusCodes.Status403Forbidden, "Role not allowed", "None of your roles may review this approval."),
            _ => (StatusCodes.Status409Conflict, "Review refused", result.Kind.ToString()),
        };
        return status == 0
            ? TypedResults.Ok(new ReviewOutcome("recorded", ApprovalViews.From(result.Request!, timeProvider.GetUtcNow())))
            : throw new ApiProblemException(status, title, detail);
    }

    private static async Task<Ok<ApprovalView>> WaitAsync(
        string approvalId,
        HttpContext context,
        RemoteCalls calls,
        IApprovalStore store,
        TimeProvider timeProvider,
        IOptions<CountersignServerOptions> options,
        int? timeoutSeconds = null)
    {
        var appId = ActionEndpoints.AppId(context.User);
        var approval = await calls.FindOwnedAsync(appId, approvalId, context.RequestAborted).ConfigureAwait(false);
        var limit = options.Value.MaxLongPollWait;
        var wait = timeoutSeconds switch
        {
            null => limit,
            >= 0 and var s when TimeSpan.FromSeconds(s) <= limit => TimeSpan.FromSeconds(s),
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid timeoutSeconds", $"'timeoutSeconds' is between 0 and {limit.TotalSeconds:0}."),
        };
        approval = await WaitOnceAsync(store, approval, wait, timeProvider, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(ApprovalViews.From(approval, timeProvider.GetUtcNow()));
    }

    private static async Task<ServerSentEventsResult<ApprovalView>> EventsAsync(
        string approvalId,
        HttpContext context,
        RemoteCalls calls,
        IApprovalStore store,
        TimeProvider timeProvider)
    {
        var approval = await calls.FindOwnedAsync(ActionEndpoints.AppId(context.User), approvalId, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.ServerSentEvents(StreamAsync(approval, store, timeProvider, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<ApprovalView>> StreamAsync(
        ApprovalRequest approval,
        IApprovalStore store,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var view = ApprovalViews.From(approval, timeProvider.GetUtcNow());
            var resolved = view.Status != "pending";
            yield return new SseItem<ApprovalView>(view, resolved ? "resolved" : "pending");
            if (resolved)
            {
                yield break;
            }

            approval = await WaitOnceAsync(store, approval, HeartbeatInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    // Waits for the store to resolve the approval, up to the wait or its expiry, whichever is first.
    private static async Task<ApprovalRequest> WaitOnceAsync(IApprovalStore store, ApprovalRequest approval, TimeSpan wait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var untilExpiry = approval.ExpiresAt - timeProvider.GetUtcNow();
        if (approval.IsResolved || untilExpiry <= TimeSpan.Zero || wait <= TimeSpan.Zero)
        {
            return approval;
        }

        using var timeout = new CancellationTokenSource(untilExpiry < wait ? untilExpiry : wait, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await store.WaitForResolutionAsync(approval.Id, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await store.GetAsync(approval.Id, cancellationToken).ConfigureAwait(false) ?? approval;
        }
    }

    private static async Task<Ok<ActionVerdict>> ClaimAsync(string approvalId, HttpContext context, RemoteCalls calls, IOptions<CountersignServerOptions> options)
    {
        var submission = ApiJson.Read<ActionSubmission>(await ApiBody.ReadAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false));
        return TypedResults.Ok(await calls.ClaimAsync(ActionEndpoints.AppId(context.User), approvalId, submission, context.RequestAborted).ConfigureAwait(false));
    }

    private static List<ApprovalStatus> ParseStatuses(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => ParseEnum<ApprovalStatus>(s, "status"))];

    private static T ParseEnum<T>(string value, string field)
        where T : struct, Enum =>
        value.Length <= 20 && value.All(char.IsAsciiLetterLower) && Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, $"Invalid {field}", $"'{field}' is one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
