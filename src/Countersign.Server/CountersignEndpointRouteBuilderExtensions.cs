using Countersign.Server.Api;
using Countersign.Server.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Countersign.Server;

/// <summary>Mounts the Countersign server in an ASP.NET Core app.</summary>
public static class CountersignEndpointRouteBuilderExtensions
{
    /// <summary>Maps the REST API under <c>/v1/</c> and the reviewer web UI.</summary>
    /// <param name="endpoints">The app's endpoint route builder.</param>
    /// <returns>The endpoint route builder, for chaining.</returns>
    public static IEndpointRouteBuilder MapCountersign(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapCountersignApi();
        endpoints.MapCountersignUi();
        return endpoints;
    }
}
