using System.Collections.Concurrent;
using Countersign.Approvals;
using Countersign.Channels;
using Countersign.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Notifications;

/// <summary>
/// Delivers approval notifications to channels from the store's change feed: each pending approval is announced to each
/// channel (<see cref="IApprovalChannel.NotifyAsync"/>) and each resolution told to it
/// (<see cref="IApprovalChannel.ResolvedAsync"/>), once per channel across every process sharing the store, by claiming
/// the delivery in the <see cref="INotificationOutbox"/>. A failed delivery is tried again with exponential backoff;
/// at start, and after a gap in the feed, pending approvals not yet announced are announced, so a restart loses none.
/// </summary>
/// <remarks>
/// A gate with channels runs one itself and stops it when disposed; a host that reviews without a gate (a server, say)
/// can run one as a hosted service. A channel that throws is logged and retried; it never reaches a guarded call.
/// </remarks>
public sealed class NotificationDispatcher : BackgroundService, IAsyncDisposable
{
    private const int RetryBatch = 100;
    private readonly IApprovalStore _approvals;
    private readonly INotificationOutbox _outbox;
    private readonly IApprovalChannel[] _channels;
    private readonly ReviewRecorder _reviews;
    private readonly TimeProvider _timeProvider;
    private readonly NotificationDispatcherOptions _options;
    private readonly ILogger _logger;

    // Cancelled when an approval is resolved, so a channel still asking (a terminal prompt) stops.
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ApprovalId, NotificationKind Kind, string Channel), Task> _inFlight = new();
    private CancellationToken _stopping;
    private int _disposed;

    /// <summary>Creates a dispatcher; <see cref="BackgroundService.StartAsync"/> starts it.</summary>
    /// <param name="approvals">The approvals whose change feed is followed.</param>
    /// <param name="outbox">The delivery ledger, from the same store as <paramref name="approvals"/>.</param>
    /// <param name="channels">The channels, told apart by <see cref="IApprovalChannel.Name"/>.</param>
    /// <param name="reviews">Handed to channels that collect decisions.</param>
    /// <param name="timeProvider">The clock for leases and retries and the retry timer.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">A logger, or none.</param>
    /// <exception cref="ArgumentException">The options are invalid, or two channels share a name.</exception>
    public NotificationDispatcher(
        IApprovalStore approvals,
        INotificationOutbox outbox,
        IEnumerable<IApprovalChannel> channels,
        ReviewRecorder reviews,
        TimeProvider timeProvider,
        NotificationDispatcherOptions? options = null,
        ILogger<NotificationDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = (options ?? new NotificationDispatcherOptions()).Clone();
        _options.Validate();
        _channels = [.. channels];
        if (_channels.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new ArgumentException($"Two channels are named '{shared.Key}'; deliveries are recorded per channel name.", nameof(channels));
        }

        _approvals = approvals;
        _outbox = outbox;
        _reviews = reviews;
        _timeProvider = timeProvider;
        Owner = _options.Owner ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        _logger = new NeverThrowingLogger(logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>Gets the name this dispatcher claims deliveries under.</summary>
    public string Owner { get; }

    /// <summary>Announces every pending approval to each channel that has not had it yet (or whose delivery is due again).</summary>
    /// <param name="cancellationToken">Cancels the scan; deliveries already started carry on.</param>
    /// <returns>The feed position the scan was read at; changes after it are not in the scan.</returns>
    /// <exception cref="CountersignStoreException">The store failed.</exception>
    public async ValueTask<long> AnnouncePendingAsync(CancellationToken cancellationToken = default)
    {
        var query = new ApprovalQuery { Statuses = [ApprovalStatus.Pending], Order = ApprovalOrder.OldestFirst, PageSize = ApprovalQuery.MaxPageSize };
        var page = await _approvals.QueryAsync(query, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var position = page.FeedPosition;
        while (true)
        {
            foreach (var approval in page.Items)
            {
                foreach (var channel in _channels)
                {
                    await TryStartAsync(approval, NotificationKind.Announce, channel, cancellationToken).ConfigureAwait(false);
                }
            }

            if (page.NextCursor is null)
            {
                return position;
            }

            page = await _approvals.QueryAsync(query with { After = page.NextCursor }, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts every delivery whose retry time (or a crashed holder's lease) has passed; the hosted dispatcher does this every <see cref="NotificationDispatcherOptions.RetryInterval"/>.</summary>
    /// <param name="cancellationToken">Cancels the scan; deliveries already started carry on.</param>
    /// <returns>How many deliveries were started.</returns>
    /// <exception cref="CountersignStoreException">The store failed.</exception>
    public async ValueTask<int> RetryDueAsync(CancellationToken cancellationToken = default)
    {
        var due = await _outbox.ListDueAsync(_timeProvider.GetUtcNow(), RetryBatch, cancellationToken).ConfigureAwait(false);
        var started = 0;
        foreach (var delivery in due)
        {
            var channel = Array.Find(_channels, c => c.Name == delivery.Channel);
            if (channel is null || _inFlight.ContainsKey((delivery.ApprovalId, delivery.Kind, delivery.Channel)))
            {
                // Another process's channel, or this process's call still running past its lease.
                continue;
            }

            var approval = await _approvals.GetAsync(delivery.ApprovalId, cancellationToken).ConfigureAwait(false);
            if (approval is not null && await TryStartAsync(approval, delivery.Kind, channel, cancellationToken).ConfigureAwait(false))
            {
                started++;
            }
        }

        return started;
    }

    /// <summary>Stops the dispatcher: cancels channel calls in progress and records them as due again, for any process to finish.</summary>
    /// <returns>A task that completes when the dispatcher has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        try
        {
            await Task.WhenAll(FollowFeedAsync(stoppingToken), RetryOnTimerAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Deliveries see the stopping token themselves and record what they did not finish.
            await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
        }
    }

    private async Task FollowFeedAsync(CancellationToken stoppingToken)
    {
        long? position = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                position ??= await AnnouncePendingAsync(stoppingToken).ConfigureAwait(false);
                await foreach (var change in _approvals.WatchAsync(position, stoppingToken).ConfigureAwait(false))
                {
                    if (change.IsGap)
                    {
                        // Events were lost to the feed's bound: what is pending now is what may still need announcing.
                        await AnnouncePendingAsync(stoppingToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await HandleAsync(change.Kind, change.Approval, stoppingToken).ConfigureAwait(false);
                    }

                    position = change.Position;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Resume after the last change handled, once the store has had a moment.
                NotificationLog.StoreFailed(_logger, exception);
                await Task.Delay(_options.RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RetryOnTimerAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RetryInterval, _timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RetryDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                NotificationLog.StoreFailed(_logger, exception);
            }
        }
    }

    private async ValueTask HandleAsync(ApprovalEventKind kind, ApprovalRequest approval, CancellationToken cancellationToken)
    {
        var notification = kind switch
        {
            ApprovalEventKind.Created => NotificationKind.Announce,
            ApprovalEventKind.Granted or ApprovalEventKind.Denied or ApprovalEventKind.Expired or ApprovalEventKind.Consumed => NotificationKind.Resolution,
            _ => (NotificationKind?)null,
        };
        if (notification is null)
        {
            return;
        }

        if (notification == NotificationKind.Resolution && _open.TryRemove(approval.Id, out var open))
        {
            await open.CancelAsync().ConfigureAwait(false);
        }

        foreach (var channel in _channels)
        {
            await TryStartAsync(approval, notification.Value, channel, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> TryStartAsync(ApprovalRequest approval, NotificationKind kind, IApprovalChannel channel, CancellationToken cancellationToken)
    {
        var key = (approval.Id, kind, channel.Name);
        if (_inFlight.ContainsKey(key))
        {
            return false;
        }

        var now = _timeProvider.GetUtcNow();
        var claim = await _outbox.TryClaimAsync(approval.Id, kind, channel.Name, Owner, now, now + _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return false;
        }

        if (kind == NotificationKind.Announce && ApprovalTransitions.AsSeenAt(approval, now).IsResolved)
        {
            // Resolved before it could be announced: nobody needs asking any more.
            await _outbox.MarkDeliveredAsync(claim, now, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var resolved = kind == NotificationKind.Announce ? _open.GetOrAdd(approval.Id, _ => new CancellationTokenSource()).Token : CancellationToken.None;

        // Run off the feed loop: a channel may hold its call open until someone answers.
        var delivery = Task.Run(() => DeliverAsync(claim, approval, channel, resolved), CancellationToken.None);
        _inFlight[key] = delivery;
        _ = delivery.ContinueWith(
            (task, state) => _inFlight.TryRemove(new KeyValuePair<(string, NotificationKind, string), Task>(((string, NotificationKind, string))state!, task)),
            key,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return true;
    }

    private async Task DeliverAsync(NotificationDelivery claim, ApprovalRequest approval, IApprovalChannel channel, CancellationToken resolved)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(resolved, _stopping);
        using var called = new CancellationTokenSource();
        var renewing = KeepLeaseAsync(claim, called.Token);
        Exception? failure = null;
        try
        {
            if (claim.Kind == NotificationKind.Announce)
            {
                await channel.NotifyAsync(approval, _reviews, linked.Token).ConfigureAwait(false);
            }
            else
            {
                await channel.ResolvedAsync(approval, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (resolved.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            // Resolved while the channel was asking; there is nothing left to deliver.
        }
#pragma warning disable CA1031 // A channel failure is retried later; it must never reach a guarded call.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }
        finally
        {
            await called.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }

        try
        {
            var now = _timeProvider.GetUtcNow();
            if (failure is null)
            {
                await _outbox.MarkDeliveredAsync(claim, now, CancellationToken.None).ConfigureAwait(false);
            }
            else if (_stopping.IsCancellationRequested)
            {
                // Due at once, for whichever process runs next.
                await _outbox.RecordFailureAsync(claim, "the dispatcher stopped before the channel finished", now, CancellationToken.None).ConfigureAwait(false);
            }
            else if (claim.Attempts >= _options.MaxAttempts)
            {
                NotificationLog.DeliveryAbandoned(_logger, failure, channel.Name, claim.Kind, claim.ApprovalId, claim.Attempts);
                await _outbox.RecordFailureAsync(claim, failure.Message, DateTimeOffset.MaxValue, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var next = now + RetryDelay(claim.Attempts);
                NotificationLog.DeliveryFailed(_logger, failure, channel.Name, claim.Kind, claim.ApprovalId, claim.Attempts, next);
                await _outbox.RecordFailureAsync(claim, failure.Message, next, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The lease runs out and the delivery is taken up again; the dispatcher carries on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            NotificationLog.StoreFailed(_logger, exception);
        }
    }

    // A channel may hold its call open for longer than a lease (a terminal prompt): the holder keeps extending it, so
    // only a holder that stopped (crashed) loses the delivery to another process.
    private async Task KeepLeaseAsync(NotificationDelivery claim, CancellationToken called)
    {
        using var timer = new PeriodicTimer(_options.LeaseDuration / 2, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(called).ConfigureAwait(false))
            {
                if (!await _outbox.ExtendLeaseAsync(claim, _timeProvider.GetUtcNow() + _options.LeaseDuration, called).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (called.IsCancellationRequested)
        {
            // The channel call ended.
        }
#pragma warning disable CA1031 // A lease that cannot be extended runs out; at worst another process delivers again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            NotificationLog.StoreFailed(_logger, exception);
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(_options.FirstRetryDelay.Ticks * factor, _options.MaxRetryDelay.Ticks));
    }
}
