using Countersign.Approvals;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Countersign.Server.Api.Health;

/// <summary>Ready when the approval store answers a one-row query.</summary>
internal sealed class StoreHealthCheck(IApprovalStore store, TimeProvider timeProvider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.QueryAsync(new ApprovalQuery { PageSize = 1 }, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The approval store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The approval store does not answer: " + ex.Message);
        }
    }
}
