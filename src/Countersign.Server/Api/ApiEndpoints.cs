using System.Security.Claims;
using Countersign.Server.Api.Actions;
using Countersign.Server.Api.Approvals;
using Countersign.Server.Api.Apps;
using Countersign.Server.Api.Audit;
using Countersign.Server.Api.Health;
using Countersign.Server.Api.OpenApi;
using Countersign.Server.Api.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api;

/// <summary>The REST API under <c>/v1/</c>: its services and its routes, plus health and the OpenAPI document.</summary>
internal static class ApiEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddCountersignApi(this IServiceCollection services)
    {
        services.AddOptions<CountersignServerOptions>().Validate(static o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AppRegistry>();
        services.TryAddSingleton<NonceRegistry>();
        services.TryAddSingleton<OpenAuthorizations>();
        services.TryAddSingleton<IdempotentAnswers>();
        services.TryAddSingleton<RemoteCalls>();
        services.AddProblemDetails();
        services.AddAuthentication().AddScheme<AppSignatureOptions, AppSignatureHandler>(CountersignAuthentication.AppSignatureScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CountersignAuthentication.AppPolicy, policy => policy
                .AddAuthenticationSchemes(CountersignAuthentication.AppSignatureScheme)
                .RequireClaim(AppClaims.AppId));
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<AuditChainHealthCheck>("audit_chain", tags: [ReadyTag]);
        services.TryAddSingleton<AuditChainHealthCheck>();
        services.AddOpenApi("v1");
        return services;
    }

    public static IEndpointRouteBuilder MapCountersignApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").AddEndpointFilter<ApiProblemFilter>();
        v1.MapAppEndpoints();
        v1.MapActionEndpoints();
        v1.MapApprovalEndpoints();
        v1.MapAuditEndpoints();

        endpoints.MapHealthChecks("/health", new HealthCheckOptions { Predicate = static _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapGet("/openapi", OpenApiPage.Render).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
