using System.Diagnostics;
using System.Globalization;
using Countersign.Approvals;
using Countersign.Postgres;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// Approval wake-up across processes on one SQLite file or PostgreSQL database: this process blocks on review; a child process (the reviewer)
/// records each decision in the same store and reports when it started. Stopwatch timestamps use the system's monotonic
/// clock, so they compare across processes on one machine.
/// </summary>
internal static class CrossProcessWakeupScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var iterations = arguments.Int("iterations", 200);
        var pollMs = arguments.Int("poll-ms", 100);
        var store = arguments.Text("store", "sqlite");
        using var scratch = new ScratchDatabase();
        await using var postgres = store == "postgres" ? await ScratchPostgresDatabase.CreateAsync(arguments) : null;
        var channel = new NotifyingChannel();
        var builder = new ActionGateBuilder();
        builder = postgres is null
            ? builder.UseSqlite(scratch.Path, o => o.ChangePollInterval = TimeSpan.FromMilliseconds(pollMs))
            : builder.UsePostgres(postgres.ConnectionString);
        await using var gate = builder
            .AddChannel(channel)
            .Configure(BlockedDeploy.ConfigureGate)
            .Build();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CrossProcessWakeupScenario).Assembly.Location);
        start.ArgumentList.Add("reviewer");
        start.ArgumentList.Add("--store");
        start.ArgumentList.Add(store);
        start.ArgumentList.Add(postgres is null ? "--db" : "--postgres");
        start.ArgumentList.Add(postgres is null ? scratch.Path : postgres.ConnectionString);
        using var reviewer = Process.Start(start)!;
        Console.WriteLine(postgres is null
            ? $"wake-up across processes: {iterations} approvals, SQLite, change poll interval {pollMs} ms"
            : $"wake-up across processes: {iterations} approvals, PostgreSQL (LISTEN/NOTIFY), database {postgres.Name}");

        var wake = new List<double>(iterations);
        var afterCommit = new List<double>(iterations);
        for (var i = 0; i < iterations + 10; i++)
        {
            var call = BlockedDeploy.Start(gate, i);
            var request = await channel.NextAsync();
            await reviewer.StandardInput.WriteLineAsync(request.Id);
            await reviewer.StandardInput.FlushAsync();
            var reply = await reviewer.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the reviewer process exited");
            var stamps = reply.Split(' ');
            var decisionStarted = long.Parse(stamps[0], CultureInfo.InvariantCulture);
            var decisionCommitted = long.Parse(stamps[1], CultureInfo.InvariantCulture);
            await call.Completion;
            if (i >= 10)
            {
                wake.Add(Stopwatch.GetElapsedTime(decisionStarted, call.ResumedAt).TotalMilliseconds);
                afterCommit.Add(Math.Max(0, Stopwatch.GetElapsedTime(decisionCommitted, call.ResumedAt).TotalMilliseconds));
            }
        }

        reviewer.StandardInput.Close();
        await reviewer.WaitForExitAsync();
        Console.WriteLine("decision started in another process -> guarded call running:   " + Percentiles.Describe(wake));
        Console.WriteLine("decision committed in another process -> guarded call running: " + Percentiles.Describe(afterCommit));
        return 0;
    }

    public static async Task<int> ReviewAsync(HarnessArguments arguments)
    {
        await using var store = arguments.Text("store", "sqlite") == "postgres"
            ? (IAsyncDisposable)await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = arguments.Text("postgres", string.Empty) })
            : SqliteStore.Open(new SqliteStoreOptions { DatabasePath = arguments.Text("db", "load.db") });
        var opened = (ICountersignStore)store;
        var reviews = new ReviewRecorder(opened.Approvals, opened.AuditLog, TimeProvider.System, TimeSpan.FromMinutes(5));
        while (Console.ReadLine() is { } approvalId)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await reviews.DecideAsync(approvalId, "alice", true, null, "harness");
            if (!result.IsRecorded)
            {
                throw new InvalidOperationException($"decision not recorded: {result.Kind}");
            }

            // The recorder returns once the decision (and its audit entry) is committed.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{started} {Stopwatch.GetTimestamp()}"));
        }

        return 0;
    }
}
