using System.Security.Claims;
using Countersign.Client.Protocol;
using Countersign.Server.Api.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Actions;

/// <summary><c>/v1/actions</c>: remote agents submit calls (the authorise phase) and report how allowed calls ended (the complete phase).</summary>
internal static class ActionEndpoints
{
    public static void MapActionEndpoints(this RouteGroupBuilder v1)
    {
        var actions = v1.MapGroup("/actions").WithTags("Actions").RequireAuthorization(CountersignAuthentication.AppPolicy);
        actions.MapPost("/", SubmitAsync)
            .Accepts<ActionSubmission>("application/json")
            .WithSummary("Submits a call: allow (run it, then report), deny, or pending (wait for the approval, then claim it).");
        actions.MapPost("/{actionId}/outcome", ReportAsync)
            .Accepts<OutcomeReport>("application/json")
            .WithSummary("Reports how an allowed call ended; recorded once in the audit log.");
    }

    internal static string AppId(ClaimsPrincipal user) =>
        user.FindFirstValue(AppClaims.AppId) ?? throw new InvalidOperationException("The App policy lets only signed requests through.");

    private static async Task<Ok<ActionVerdict>> SubmitAsync(HttpContext context, RemoteCalls calls, IOptions<CountersignServerOptions> options)
    {
        var submission = ApiJson.Read<ActionSubmission>(await ApiBody.ReadAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false));
        return TypedResults.Ok(await calls.SubmitAsync(AppId(context.User), submission, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<NoContent> ReportAsync(string actionId, HttpContext context, RemoteCalls calls, IOptions<CountersignServerOptions> options)
    {
        ApiText.RouteId(actionId, "act_");
        var report = ApiJson.Read<OutcomeReport>(await ApiBody.ReadAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false));
        await calls.ReportAsync(AppId(context.User), actionId, report).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
