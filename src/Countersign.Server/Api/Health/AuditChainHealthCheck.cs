using Countersign.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Countersign.Server.Api.Health;

/// <summary>
/// Ready when the audit log is readable and its chain head follows on from the head this check saw last: each check
/// reads only the entries appended since, and finds a rewritten or truncated tail as a broken link. The first check
/// reads the whole log once; <c>POST /v1/audit/verify</c> checks every MAC.
/// </summary>
internal sealed class AuditChainHealthCheck(IAuditLog log) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _sequence;
    private string _mac = AuditChain.GenesisMac;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = _sequence;
            var mac = _mac;
            await foreach (var record in log.ReadAsync(sequence, cancellationToken).ConfigureAwait(false))
            {
                if (record.Sequence != sequence + 1 || !string.Equals(record.PreviousMac, mac, StringComparison.Ordinal))
                {
                    return HealthCheckResult.Unhealthy($"The audit chain is broken at entry {record.Sequence}: it does not follow entry {sequence}.");
                }

                sequence = record.Sequence;
                mac = record.Mac;
            }

            (_sequence, _mac) = (sequence, mac);
            return HealthCheckResult.Healthy($"The audit chain head is entry {sequence}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The audit log cannot be read: " + ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
