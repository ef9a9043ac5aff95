using Countersign.Approvals;
using Countersign.Telemetry;

namespace Countersign.Pipeline;

/// <summary>
/// The user's callbacks, gate-wide and per call. A callback is user code run inside the gate: its exception is logged
/// and never changes the decision.
/// </summary>
internal sealed class GateCallbacks
{
    private readonly GateTelemetry _telemetry;

    public GateCallbacks(
        Func<OnApprovalRequestedArguments, ValueTask>? onApprovalRequested,
        Func<OnApprovalDecidedArguments, ValueTask>? onApprovalDecided,
        Func<OnDeniedArguments, ValueTask>? onDenied,
        GateTelemetry telemetry)
    {
        OnApprovalRequested = onApprovalRequested;
        OnApprovalDecided = onApprovalDecided;
        OnDenied = onDenied;
        _telemetry = telemetry;
    }

    public Func<OnApprovalRequestedArguments, ValueTask>? OnApprovalRequested { get; }

    public Func<OnApprovalDecidedArguments, ValueTask>? OnApprovalDecided { get; }

    public Func<OnDeniedArguments, ValueTask>? OnDenied { get; }

    public ValueTask ApprovalRequestedAsync(GateContext context, ApprovalRequest approval) =>
        InvokeAsync(OnApprovalRequested, context.CallOptions?.OnApprovalRequested, () => new OnApprovalRequestedArguments(context, approval), "OnApprovalRequested");

    public ValueTask ApprovalDecidedAsync(GateContext context, ApprovalRequest approval) =>
        InvokeAsync(OnApprovalDecided, null, () => new OnApprovalDecidedArguments(context, approval), "OnApprovalDecided");

    public ValueTask DeniedAsync(GateContext context, ActionDeniedException denial) =>
        InvokeAsync(OnDenied, null, () => new OnDeniedArguments(context, denial), "OnDenied");

    private async ValueTask InvokeAsync<TArguments>(Func<TArguments, ValueTask>? gateWide, Func<TArguments, ValueTask>? perCall, Func<TArguments> arguments, string name)
    {
        if (gateWide is null && perCall is null)
        {
            return;
        }

        var args = arguments();
        await InvokeOneAsync(gateWide, args, name).ConfigureAwait(false);
        await InvokeOneAsync(perCall, args, name).ConfigureAwait(false);
    }

    private async ValueTask InvokeOneAsync<TArguments>(Func<TArguments, ValueTask>? callback, TArguments args, string name)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            await callback(args).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A callback's failure is the user's to see in the logs; the decision stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _telemetry.CallbackFailed(name, ex);
        }
    }
}
