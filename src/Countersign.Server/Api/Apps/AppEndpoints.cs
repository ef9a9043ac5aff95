using Countersign.Client.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Apps;

/// <summary><c>/v1/apps</c>: admins register remote agents (the secret is shown once), list and revoke them.</summary>
internal static class AppEndpoints
{
    public static void MapAppEndpoints(this RouteGroupBuilder v1)
    {
        var apps = v1.MapGroup("/apps").WithTags("Apps").RequireAuthorization(CountersignAuthentication.AdminPolicy);
        apps.MapPost("/", RegisterAsync)
            .Accepts<AppRegistration>("application/json")
            .WithSummary("Registers an app; the answer holds its secret, shown this once.");
        apps.MapGet("/", ListAsync).WithSummary("Lists registered apps (without secrets).");
        apps.MapDelete("/{appId}", RevokeAsync).WithSummary("Revokes an app: its signed requests are refused from now on.");
    }

    private static async Task<Created<RegisteredApp>> RegisterAsync(HttpContext context, AppRegistry registry, IOptions<CountersignServerOptions> options)
    {
        var body = ApiJson.Read<AppRegistration>(await ApiBody.ReadAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false));
        var name = body.Name.Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid app name", "'name' must be 1 to 100 characters without control characters.");
        }

        var app = await registry.RegisterAsync(name, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/apps/{app.AppId}", app);
    }

    private static async Task<Ok<IReadOnlyList<RegisteredApp>>> ListAsync(AppRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<NoContent> RevokeAsync(string appId, AppRegistry registry, CancellationToken cancellationToken)
    {
        ApiText.RouteId(appId, "app_");
        return await registry.RevokeAsync(appId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : throw new ApiProblemException(StatusCodes.Status404NotFound, "App not found", $"No active app has the id '{appId}'.");
    }
}
