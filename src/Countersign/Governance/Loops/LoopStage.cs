using Countersign.Pipeline;
using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>
/// Denies the same tool with the same payload repeated more than <see cref="LoopOptions.MaxRepeats"/> times within the
/// window, per agent and session; optionally halts the agent.
/// </summary>
internal sealed class LoopStage : GateStage
{
    private readonly LoopOptions _options;
    private readonly LoopWindows _windows;
    private readonly GateGovernance _governance;
    private readonly TimeProvider _timeProvider;
    private readonly GateTelemetry _telemetry;

    public LoopStage(LoopOptions options, GateGovernance governance, TimeProvider timeProvider, GateTelemetry telemetry)
    {
        _options = options;
        _governance = governance;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _windows = new LoopWindows(options.MaxRepeats, options.Window, options.MaxTrackedWindows, timeProvider.GetTimestamp(), timeProvider.TimestampFrequency);
    }

    public override string Name => "loops";

    internal LoopWindows Windows => _windows;

    public override ValueTask<StageResult> AuthorizeAsync(GateContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var calls = _windows.Record(new LoopKey(request.AgentId, request.SessionId, request.ToolName, context.PayloadHash), _timeProvider.GetTimestamp());
        return calls <= _options.MaxRepeats ? StageResult.ContinueTask : DenyAsync(context, calls, cancellationToken);
    }

    private async ValueTask<StageResult> DenyAsync(GateContext context, int calls, CancellationToken cancellationToken)
    {
        var agent = context.Request.AgentId;
        var detail = $"'{context.Request.ToolName}' was called {calls} times with the same arguments within {_options.Window.TotalSeconds:0.###} s (at most {_options.MaxRepeats} allowed)";
        var halted = false;
        if (_options.HaltAgent && agent is not null)
        {
            halted = await _governance.HaltCoreAsync(agent, "loops", "loop detected: " + detail, "loops", cancellationToken).ConfigureAwait(false);
        }

        await GovernanceCallback.InvokeAsync(_options.OnLoopDetected, () => new OnLoopDetectedArguments(context, calls, halted), _telemetry, "OnLoopDetected").ConfigureAwait(false);
        return StageResult.Deny(GovernanceDenialReasons.LoopDetected, halted ? detail + "; the agent is halted" : detail);
    }
}
