using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Countersign.Hosting;

/// <summary>
/// Builds the registered gate when the host starts, so the store is opened and migrated (and a bad key, an unreachable
/// database or a file from a newer version fails the start) before the app takes its first call, not on it.
/// </summary>
internal sealed class GateStartupService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ActionGate>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
