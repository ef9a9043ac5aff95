using System.Diagnostics;
using System.Globalization;
using Countersign.Governance;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// How long a halt made through one SQLite store instance takes to be seen by another instance on the same file (two
/// connection pools and caches, as two processes have): halt, then read the other's halts until the halt is there.
/// </summary>
internal static class HaltPropagationScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var iterations = arguments.Int("iterations", 50);
        var poll = TimeSpan.FromMilliseconds(arguments.Int("poll-ms", 100));
        using var scratch = new ScratchDatabase();
        await using var operator_ = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = scratch.Path, ChangePollInterval = poll });
        await using var agentHost = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = scratch.Path, ChangePollInterval = poll });
        Console.WriteLine($"halt-propagation: {iterations} halts, change-poll interval {poll.TotalMilliseconds} ms, {scratch.Path}");
        var latencies = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var agent = $"agent-{i}";
            await agentHost.Governance.GetHaltsAsync();
            var started = Stopwatch.GetTimestamp();
            await operator_.Governance.HaltAsync(new AgentHalt(agent, "operator", "load test", TimeProvider.System.GetUtcNow()));
            while (!(await agentHost.Governance.GetHaltsAsync()).ContainsKey(agent))
            {
                await Task.Yield();
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await operator_.Governance.ResumeAsync(agent);
        }

        Console.WriteLine("halt seen by the other instance after: " + Percentiles.Describe(latencies));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max {latencies.Max():0.0} ms (bound: the change-poll interval, {poll.TotalMilliseconds} ms, plus one read)"));
        return 0;
    }
}
