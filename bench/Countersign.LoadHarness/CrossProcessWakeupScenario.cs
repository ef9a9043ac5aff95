using System.Diagnostics;
using System.Globalization;
using Countersign.Approvals;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// Approval wake-up across processes on one SQLite file: this process blocks on review; a child process (the reviewer)
/// records each decision in the same file and reports when it started. Stopwatch timestamps use the system's monotonic
/// clock, so they compare across processes on one machine.
/// </summary>
internal static class CrossProcessWakeupScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var iterations = arguments.Int("iterations", 200);
        var pollMs = arguments.Int("poll-ms", 100);
        using var scratch = new ScratchDatabase();
        var channel = new NotifyingChannel();
        await using var gate = new ActionGateBuilder()
            .UseSqlite(scratch.Path, o => o.ChangePollInterval = TimeSpan.FromMilliseconds(pollMs))
            .AddChannel(channel)
            .Configure(BlockedDeploy.ConfigureGate)
            .Build();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CrossProcessWakeupScenario).Assembly.Location);
        start.ArgumentList.Add("reviewer");
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(scratch.Path);
        using var reviewer = Process.Start(start)!;
        Console.WriteLine($"wake-up across processes: {iterations} approvals, change poll interval {pollMs} ms");

        var wake = new List<double>(iterations);
        for (var i = 0; i < iterations + 10; i++)
        {
            var call = BlockedDeploy.Start(gate, i);
            var request = await channel.NextAsync();
            await reviewer.StandardInput.WriteLineAsync(request.Id);
            await reviewer.StandardInput.FlushAsync();
            var reply = await reviewer.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the reviewer process exited");
            var decisionStarted = long.Parse(reply, CultureInfo.InvariantCulture);
            await call.Completion;
            if (i >= 10)
            {
                wake.Add(Stopwatch.GetElapsedTime(decisionStarted, call.ResumedAt).TotalMilliseconds);
            }
        }

        reviewer.StandardInput.Close();
        await reviewer.WaitForExitAsync();
        Console.WriteLine("decision started in another process -> guarded call running: " + Percentiles.Describe(wake));
        return 0;
    }

    public static async Task<int> ReviewAsync(HarnessArguments arguments)
    {
        await using var store = SqliteStore.Open(new SqliteStoreOptions { DatabasePath = arguments.Text("db", "load.db") });
        var reviews = new ReviewRecorder(store.Approvals, store.AuditLog, TimeProvider.System, TimeSpan.FromMinutes(5));
        while (Console.ReadLine() is { } approvalId)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await reviews.DecideAsync(approvalId, "alice", true, null, "harness");
            if (!result.IsRecorded)
            {
                throw new InvalidOperationException($"decision not recorded: {result.Kind}");
            }

            Console.WriteLine(started.ToString(CultureInfo.InvariantCulture));
        }

        return 0;
    }
}
