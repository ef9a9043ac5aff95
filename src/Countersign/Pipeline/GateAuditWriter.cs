using Countersign.Audit;
using Countersign.Telemetry;

namespace Countersign.Pipeline;

/// <summary>
/// The pipeline's only path to the audit log. Before a call runs an entry must be committed (a failure denies the
/// call); after it ran, a failure is reported through logs and metrics and never thrown.
/// </summary>
internal sealed class GateAuditWriter
{
    private readonly IAuditLog _audit;
    private readonly GateTelemetry _telemetry;

    public GateAuditWriter(IAuditLog audit, GateTelemetry telemetry)
    {
        _audit = audit;
        _telemetry = telemetry;
    }

    public IAuditLog Log => _audit;

    public ValueTask CommitAsync(AuditEntry entry, CancellationToken cancellationToken) => _audit.AppendAsync([entry], cancellationToken);

    public async ValueTask AppendBestEffortAsync(AuditEntry entry, string actionId)
    {
        try
        {
            await _audit.AppendAsync([entry], CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // After a call has run (or been denied), an audit failure is reported, never thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _telemetry.AuditAfterRunFailed(actionId, ex);
        }
    }
}
