using Countersign.Client.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Countersign.Client;

/// <summary>Registers the remote client in a service collection.</summary>
public static class CountersignClientServiceCollectionExtensions
{
    internal const string HttpClientName = "Countersign.Client";

    /// <summary>
    /// Registers a singleton <see cref="CountersignClient"/> on a named <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/> that signs each attempt of each request, with a standard resilience pipeline that
    /// retries only safe (GET) requests, and attempt timeouts long enough for a long-poll.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; unset ones are read from <c>COUNTERSIGN_URL</c>, <c>COUNTERSIGN_APP_ID</c> and <c>COUNTERSIGN_SECRET</c>.</param>
    /// <returns>The HTTP client builder, to add handlers or change resilience.</returns>
    public static IHttpClientBuilder AddCountersignClient(this IServiceCollection services, Action<CountersignClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CountersignClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure(static o => o.ReadEnvironment()).Validate(static o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<SigningHandler>();
        var builder = services.AddHttpClient(HttpClientName, static (provider, http) =>
        {
            var o = provider.GetRequiredService<IOptions<CountersignClientOptions>>().Value;
            http.BaseAddress = o.BaseAddress;
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        builder.AddStandardResilienceHandler().Configure(static (HttpStandardResilienceOptions resilience, IServiceProvider provider) =>
        {
            var longPoll = provider.GetRequiredService<IOptions<CountersignClientOptions>>().Value.LongPollWait;
            resilience.Retry.DisableForUnsafeHttpMethods();
            resilience.AttemptTimeout.Timeout = longPoll + TimeSpan.FromSeconds(30);
            resilience.TotalRequestTimeout.Timeout = (longPoll + TimeSpan.FromSeconds(30)) * 4;
            resilience.CircuitBreaker.SamplingDuration = resilience.AttemptTimeout.Timeout * 2;
        });
        builder.AddHttpMessageHandler<SigningHandler>();
        services.TryAddSingleton(static provider => new CountersignClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<CountersignClientOptions>>(),
            provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<CountersignClient>>()));
        return builder;
    }
}
