using Countersign.Audit;
using Countersign.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Countersign.Hosting;

/// <summary>
/// Verifies the whole audit chain every <see cref="AuditVerificationOptions.Interval"/> while the host runs and logs
/// the result: a broken chain is logged as critical, with the first broken entry, so tampering is noticed without
/// anyone running a verification by hand.
/// </summary>
public sealed class AuditVerificationService : BackgroundService
{
    private readonly IAuditLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _interval;
    private readonly ILogger _logger;
    private PeriodicTimer? _timer;

    /// <summary>Creates the service.</summary>
    /// <param name="log">The audit log to verify.</param>
    /// <param name="timeProvider">The clock the schedule follows.</param>
    /// <param name="options">The schedule.</param>
    /// <param name="logger">Where results go.</param>
    public AuditVerificationService(IAuditLog log, TimeProvider timeProvider, IOptions<AuditVerificationOptions> options, ILogger<AuditVerificationService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _timeProvider = timeProvider;
        _interval = options.Value.Interval;
        _logger = new NeverThrowingLogger(logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>Gets the result of the latest scheduled verification, or <see langword="null"/> before the first.</summary>
    public AuditVerificationResult? LastResult { get; private set; }

    /// <summary>Raised after each scheduled verification, with its result.</summary>
    public event EventHandler<AuditVerificationResult>? Verified;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The schedule starts when the host starts, not whenever the background task first runs.
        if (_interval is { } interval)
        {
            _timer = new PeriodicTimer(interval, _timeProvider);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            AuditVerificationResult result;
            try
            {
                result = await _log.VerifyAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                AuditVerificationLog.Failed(_logger, ex);
                continue;
            }

            if (result.IsValid)
            {
                AuditVerificationLog.Verified(_logger, result.EntriesChecked);
            }
            else
            {
                AuditVerificationLog.Broken(_logger, result.FirstBrokenSequence, result.Problem);
            }

            LastResult = result;
            Verified?.Invoke(this, result);
        }
    }
}
