using Countersign.Approvals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Countersign.Hosting;

/// <summary>
/// What the host does for a keyed gate that it does for the default one: builds it at start-up (opening its store) and
/// runs an expiry sweeper over its approvals while the host runs.
/// </summary>
internal sealed class KeyedGateHostedService(IServiceProvider services, string key) : IHostedService, IDisposable
{
    private ApprovalExpirySweeper? _sweeper;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gate = services.GetRequiredKeyedService<ActionGate>(key);
        var options = services.GetService<IOptions<ApprovalExpirySweeperOptions>>()?.Value ?? new ApprovalExpirySweeperOptions();
        if (!options.Enabled)
        {
            return;
        }

        _sweeper = new ApprovalExpirySweeper(
            gate.Approvals,
            gate.AuditLog,
            services.GetRequiredService<TimeProvider>(),
            options,
            services.GetService<ILogger<ApprovalExpirySweeper>>());
        await _sweeper.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _sweeper?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _sweeper?.Dispose();
}
