using System.Diagnostics;
using Countersign.Approvals;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// Approval wake-up in one process: a call blocks for review; the harness records the decision; the time from the start
/// of the decision (so including its commit) to the guarded call running is measured.
/// </summary>
internal static class WakeupScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var iterations = arguments.Int("iterations", 2000);
        var store = arguments.Text("store", "sqlite");
        var durability = Enum.Parse<SqliteDurability>(arguments.Text("durability", "full"), ignoreCase: true);
        using var scratch = new ScratchDatabase();
        var channel = new NotifyingChannel();
        var builder = new ActionGateBuilder()
            .AddChannel(channel)
            .Configure(BlockedDeploy.ConfigureGate);
        if (store == "sqlite")
        {
            builder.UseSqlite(scratch.Path, o => o.Durability = durability);
        }

        await using var gate = builder.Build();
        Console.WriteLine($"wake-up in process: {iterations} approvals, store {store}" + (store == "sqlite" ? $" (synchronous={durability})" : string.Empty));
        var wake = new List<double>(iterations);
        var decide = new List<double>(iterations);
        for (var i = 0; i < iterations + 100; i++)
        {
            var call = BlockedDeploy.Start(gate, i);
            var request = await channel.NextAsync();

            // Let the caller park on its wait so the decision exercises the wake-up, not an already-resolved read.
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System);
            var decisionStarted = Stopwatch.GetTimestamp();
            var result = await gate.Reviews.DecideAsync(request.Id, "alice", true, null, "harness");
            var decisionReturned = Stopwatch.GetTimestamp();
            await call.Completion;
            if (!result.IsRecorded)
            {
                throw new InvalidOperationException($"decision not recorded: {result.Kind}");
            }

            if (i >= 100)
            {
                wake.Add(Stopwatch.GetElapsedTime(decisionStarted, call.ResumedAt).TotalMilliseconds);
                decide.Add(Stopwatch.GetElapsedTime(decisionStarted, decisionReturned).TotalMilliseconds);
            }
        }

        Console.WriteLine("decision started -> guarded call running: " + Percentiles.Describe(wake));
        Console.WriteLine("decision call duration (commit + audit): " + Percentiles.Describe(decide));
        return 0;
    }
}
