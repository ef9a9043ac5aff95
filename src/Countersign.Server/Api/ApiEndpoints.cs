using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server.Api;

/// <summary>The REST API under <c>/v1/</c>: its services and its routes.</summary>
internal static class ApiEndpoints
{
    public static IServiceCollection AddCountersignApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCountersignApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
