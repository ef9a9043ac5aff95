using System.Collections.Concurrent;
using Countersign.Pipeline;
using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>
/// Works out agents' presence from the store's activity and halts, and records each change once across processes (a
/// conditional write in the store), writing it to the audit log. Calls are written to the store coalesced.
/// </summary>
internal sealed class PresenceMonitor : IAsyncDisposable
{
    private const int MaxRemembered = 10_000;
    private readonly IGovernanceStore _store;
    private readonly GateAuditWriter _audit;
    private readonly PresenceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;
    private readonly ConcurrentDictionary<string, long> _lastWritten = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PresenceState> _lastKnown = new(StringComparer.Ordinal);
    private readonly long _writeIntervalTicks;
    private readonly ITimer? _timer;

    public PresenceMonitor(IGovernanceStore store, GateAuditWriter audit, PresenceOptions options, TimeProvider timeProvider, GateTelemetry telemetry)
    {
        _store = store;
        _audit = audit;
        _options = options;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _writeIntervalTicks = (long)(options.ActivityWriteInterval.TotalSeconds * timeProvider.TimestampFrequency);
        if (options.CheckInterval is { } interval)
        {
            _timer = timeProvider.CreateTimer(_ => _ = RefreshInBackgroundAsync(), null, interval, interval);
        }
    }

    public ValueTask NoteCallAsync(string agentId, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetTimestamp();
        if (_lastWritten.TryGetValue(agentId, out var last) && now - last < _writeIntervalTicks && _lastKnown.TryGetValue(agentId, out var known) && known == PresenceState.Live)
        {
            return ValueTask.CompletedTask;
        }

        if (_lastWritten.Count >= MaxRemembered)
        {
            _lastWritten.Clear();
            _lastKnown.Clear();
        }

        _lastWritten[agentId] = now;
        return WriteCallAsync(agentId, cancellationToken);
    }

    public async ValueTask HeartbeatAsync(string agentId, CancellationToken cancellationToken)
    {
        await _store.RecordActivityAsync(agentId, null, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await RefreshAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<AgentPresence>> GetAgentsAsync(CancellationToken cancellationToken)
    {
        var activity = await _store.GetActivityAsync(cancellationToken).ConfigureAwait(false);
        var halts = await _store.GetHaltsAsync(cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        return [.. activity.Select(a =>
        {
            var halt = HaltOf(halts, a.AgentId);
            return new AgentPresence(a.AgentId, StateOf(a, halt, now), a.LastCallAt, a.LastHeartbeatAt, halt?.HaltedBy, halt?.Reason);
        })];
    }

    public async ValueTask<IReadOnlyList<PresenceChange>> RefreshAsync(CancellationToken cancellationToken)
    {
        var activity = await _store.GetActivityAsync(cancellationToken).ConfigureAwait(false);
        var halts = await _store.GetHaltsAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<PresenceChange>();
        foreach (var agent in activity)
        {
            if (await RecordIfChangedAsync(agent, halts, cancellationToken).ConfigureAwait(false) is { } change)
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    public async ValueTask RefreshAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var activity = await _store.GetActivityAsync(cancellationToken).ConfigureAwait(false);
        var halts = await _store.GetHaltsAsync(cancellationToken).ConfigureAwait(false);
        var agent = activity.FirstOrDefault(a => a.AgentId == agentId) ?? new AgentActivity(agentId, null, null, null);
        await RecordIfChangedAsync(agent, halts, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask WriteCallAsync(string agentId, CancellationToken cancellationToken)
    {
        await _store.RecordActivityAsync(agentId, _timeProvider.GetUtcNow(), null, cancellationToken).ConfigureAwait(false);
        if (!_lastKnown.TryGetValue(agentId, out var known) || known != PresenceState.Live)
        {
            await RefreshAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<PresenceChange?> RecordIfChangedAsync(AgentActivity agent, IReadOnlyDictionary<string, AgentHalt> halts, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var state = StateOf(agent, HaltOf(halts, agent.AgentId), now);
        _lastKnown[agent.AgentId] = state;
        var name = Name(state);
        if (string.Equals(agent.RecordedState, name, StringComparison.Ordinal)
            || !await _store.TrySetPresenceStateAsync(agent.AgentId, agent.RecordedState, name, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var change = new PresenceChange(agent.AgentId, Parse(agent.RecordedState), state, now);
        await _audit.AppendBestEffortAsync(GovernanceEvents.PresenceChanged(agent.AgentId, agent.RecordedState, name, now), "presence").ConfigureAwait(false);
        await GovernanceCallback.InvokeAsync(_options.OnPresenceChanged, () => new OnPresenceChangedArguments(change), _telemetry, "OnPresenceChanged").ConfigureAwait(false);
        return change;
    }

    private PresenceState StateOf(AgentActivity agent, AgentHalt? halt, DateTimeOffset now)
    {
        if (halt is not null)
        {
            return PresenceState.Halted;
        }

        var last = Max(agent.LastCallAt, agent.LastHeartbeatAt);
        if (last is null)
        {
            return PresenceState.Unresponsive;
        }

        var silence = now - last.Value;
        return silence <= _options.IdleAfter ? PresenceState.Live : silence <= _options.UnresponsiveAfter ? PresenceState.Idle : PresenceState.Unresponsive;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A background presence check that fails is logged and tried again at the next tick.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _telemetry.CallbackFailed("presence check", ex);
        }
    }

    private static AgentHalt? HaltOf(IReadOnlyDictionary<string, AgentHalt> halts, string agentId) =>
        halts.TryGetValue(agentId, out var halt) || halts.TryGetValue(AgentHalt.AllAgents, out halt) ? halt : null;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    internal static string Name(PresenceState state) => state switch
    {
        PresenceState.Live => "live",
        PresenceState.Idle => "idle",
        PresenceState.Unresponsive => "unresponsive",
        _ => "halted",
    };

    private static PresenceState? Parse(string? name) => name switch
    {
        "live" => PresenceState.Live,
        "idle" => PresenceState.Idle,
        "unresponsive" => PresenceState.Unresponsive,
        "halted" => PresenceState.Halted,
        _ => null,
    };
}
