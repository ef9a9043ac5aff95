using Countersign.Server.Api;
using Countersign.Server.Ui;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Countersign.Server;

/// <summary>Registers the Countersign server's services in an ASP.NET Core app.</summary>
public static class CountersignServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the REST API and the reviewer web UI. The gate itself is registered with
    /// <c>services.AddCountersign()</c>; the server runs that gate's pipeline for remote agents.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after the <c>Countersign:Server</c> configuration section.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCountersignServer(this IServiceCollection services, Action<CountersignServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<CountersignServerOptions>();
        options.Configure<IServiceProvider>(static (o, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(CountersignServerOptions.ConfigurationSection).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddCountersignUserPolicies();
        services.AddCountersignApi();
        services.AddCountersignUi();
        return services;
    }
}
