using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server.Ui;

/// <summary>The reviewer web UI: its services and its routes.</summary>
internal static class UiEndpoints
{
    public static IServiceCollection AddCountersignUi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCountersignUi(this IEndpointRouteBuilder endpoints) => endpoints;
}
