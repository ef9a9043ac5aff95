using System.Collections.Concurrent;
using Countersign.Pipeline;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Actions;

/// <summary>
/// Allowed calls whose outcome the remote caller has not reported yet, by action id. A call not reported within
/// <see cref="CountersignServerOptions.OutcomeReportWindow"/> is completed as failed ("no outcome reported"), so every
/// allowed call ends in the audit log. Held in memory: after a restart, a late report gets 404.
/// </summary>
internal sealed class OpenAuthorizations
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly ActionGate _gate;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _window;
    private int _sinceSweep;

    public OpenAuthorizations(ActionGate gate, TimeProvider timeProvider, IOptions<CountersignServerOptions> options)
    {
        _gate = gate;
        _timeProvider = timeProvider;
        _window = options.Value.OutcomeReportWindow;
    }

    public void Add(string appId, GateAuthorization authorization)
    {
        var now = _timeProvider.GetUtcNow();
        _open[authorization.ActionId] = new Entry(appId, authorization, now + _window);
        if (Interlocked.Increment(ref _sinceSweep) >= SweepEvery)
        {
            Interlocked.Exchange(ref _sinceSweep, 0);
            _ = CompleteOverdueAsync(now);
        }
    }

    public GateAuthorization? TryTake(string appId, string actionId) =>
        _open.TryGetValue(actionId, out var entry)
        && string.Equals(entry.AppId, appId, StringComparison.Ordinal)
        && _open.TryRemove(new KeyValuePair<string, Entry>(actionId, entry))
            ? entry.Authorization
            : null;

    private async Task CompleteOverdueAsync(DateTimeOffset now)
    {
        foreach (var (actionId, entry) in _open)
        {
            if (entry.ReportBy <= now && _open.TryRemove(new KeyValuePair<string, Entry>(actionId, entry)))
            {
                await _gate.CompleteAsync(entry.Authorization, CallOutcome.Failure($"no outcome was reported within {_window}")).ConfigureAwait(false);
            }
        }
    }

    private sealed record Entry(string AppId, GateAuthorization Authorization, DateTimeOffset ReportBy);
}
