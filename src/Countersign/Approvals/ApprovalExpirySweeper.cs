using Countersign.Audit;
using Countersign.Pipeline;
using Countersign.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Approvals;

/// <summary>
/// Expires pending approvals whose timeout has passed even when no caller waits for them (the agent process stopped,
/// or it asked with fail-closed and went away): once at start, then every <see cref="ApprovalExpirySweeperOptions.Interval"/>
/// on the <see cref="TimeProvider"/>'s timer. Each run is one <see cref="IApprovalStore.ExpireDueAsync"/> call, so waiters
/// wake and feed subscribers see <see cref="ApprovalEventKind.Expired"/>; each expiry is audited as an
/// <see cref="AuditEventKind.ApprovalExpired"/> entry, as the waiting gate would have written it. A failed run is logged and retried at the
/// next tick; it never stops the host. <c>AddCountersign()</c> registers it as a hosted service.
/// </summary>
/// <remarks>Several processes sharing one store may each run a sweeper: expiring is a conditional update, done once.</remarks>
public sealed class ApprovalExpirySweeper : BackgroundService
{
    private readonly IApprovalStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _timeProvider;
    private readonly ApprovalExpirySweeperOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a sweeper.</summary>
    /// <param name="store">The store to sweep.</param>
    /// <param name="audit">The audit log the expiries are recorded in.</param>
    /// <param name="timeProvider">The clock that decides what is due and drives the timer.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">A logger, or none.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ApprovalExpirySweeper(IApprovalStore store, IAuditLog audit, TimeProvider timeProvider, ApprovalExpirySweeperOptions? options = null, ILogger<ApprovalExpirySweeper>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new ApprovalExpirySweeperOptions();
        options.Validate();
        _store = store;
        _audit = audit;
        _timeProvider = timeProvider;
        _options = new ApprovalExpirySweeperOptions { Interval = options.Interval, Enabled = options.Enabled };
        _logger = new NeverThrowingLogger(logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>Expires every approval that is due now.</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>How many approvals this sweep expired.</returns>
    /// <exception cref="CountersignStoreException">The store failed.</exception>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        var expired = await _store.ExpireDueAsync(now, cancellationToken).ConfigureAwait(false);
        if (expired.Count > 0)
        {
            ExpirySweepLog.Expired(_logger, expired.Count);

            // The expiries are durable; their audit entries go in even if the sweep is being cancelled.
            await _audit.AppendAsync([.. expired.Select(approval => GateEvents.Expired(approval, now))], CancellationToken.None).ConfigureAwait(false);
        }

        return expired.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        // The timer starts before the first sweep, so a tick that falls during that sweep is not lost.
        using var timer = new PeriodicTimer(_options.Interval, _timeProvider);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    ExpirySweepLog.Failed(_logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
