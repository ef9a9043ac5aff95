using Countersign.Telemetry;

namespace Countersign.Governance;

/// <summary>Runs a governance stage's user callback: its exception is logged and never changes a decision.</summary>
internal static class GovernanceCallback
{
    public static async ValueTask InvokeAsync<TArguments>(Func<TArguments, ValueTask>? callback, Func<TArguments> arguments, GateTelemetry telemetry, string name)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            await callback(arguments()).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A callback's failure is the user's to see in the logs; the decision stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            telemetry.CallbackFailed(name, ex);
        }
    }
}
