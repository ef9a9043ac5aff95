using System.Diagnostics;

namespace Countersign.LoadHarness;

/// <summary>A guarded call that needs review, blocks for it, and notes the moment it is released to run.</summary>
internal sealed class BlockedDeploy
{
    private long _resumedAt;

    private BlockedDeploy(ActionGate gate, int build)
    {
        Completion = gate.ExecuteAsync(
            new ActionRequest { ToolName = "deploy", Arguments = ActionArguments.From(new { build }), RequestedBy = "ci-bot" },
            _ =>
            {
                _resumedAt = Stopwatch.GetTimestamp();
                return new ValueTask<int>(1);
            });
    }

    /// <summary>Gets the call; it completes once a reviewer has decided and the call has run.</summary>
    public Task<int> Completion { get; }

    /// <summary>Gets the <see cref="Stopwatch"/> timestamp at which the guarded function started.</summary>
    public long ResumedAt => _resumedAt;

    /// <summary>The gate settings the wake-up scenarios share: no environment overrides, a timeout no run reaches.</summary>
    public static void ConfigureGate(CountersignOptions options)
    {
        options.ReadEnvironment = false;
        options.ReviewTimeout = TimeSpan.FromMinutes(1);
    }

    public static BlockedDeploy Start(ActionGate gate, int build) => new(gate, build);
}
