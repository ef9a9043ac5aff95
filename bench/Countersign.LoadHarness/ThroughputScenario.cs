using System.Diagnostics;
using System.Globalization;
using Countersign.Audit;
using Countersign.Governance;
using Countersign.Policy;
using Countersign.Postgres;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// Guarded allow-path calls from many concurrent callers, each call's audit entries committed to the store (SQLite or PostgreSQL) before it returns.
/// </summary>
internal static class ThroughputScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var callers = arguments.Int("callers", 32);
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 3);
        var store = arguments.Text("store", "sqlite");
        var durability = Enum.Parse<SqliteDurability>(arguments.Text("durability", "full"), ignoreCase: true);
        var governance = arguments.Text("governance", "none");
        using var scratch = new ScratchDatabase();
        await using var postgres = store == "postgres" ? await ScratchPostgresDatabase.CreateAsync(arguments) : null;
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
            .ForTool("refund", r => r.Allow())
            .Build();
        var builder = new ActionGateBuilder()
            .UsePolicy(policy)
            .Configure(o => o.ReadEnvironment = false);
        IAuditLog auditLog = new DiscardingAuditLog();
        if (store == "sqlite")
        {
            var sqlite = SqliteStore.Open(new SqliteStoreOptions { DatabasePath = scratch.Path, Durability = durability });
            builder.UseSqlite(sqlite, disposeWithGate: true);
            auditLog = sqlite.AuditLog;
        }
        else if (postgres is not null)
        {
            var opened = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = postgres.ConnectionString });
            builder.UsePostgres(opened, disposeWithGate: true);
            auditLog = opened.AuditLog;
        }

        switch (governance)
        {
            case "none":
                break;
            case "halt-scope-loops":
                builder.AddHalt().AddScope(o => AllowRefund(o, callers)).AddLoopDetection();
                break;
            case "budget":
                builder.AddHalt().AddScope(o => AllowRefund(o, callers)).AddLoopDetection().AddBudget(o => o.LimitCalls(int.MaxValue, BudgetPeriod.Day));
                break;
            default:
                throw new ArgumentException($"Unknown --governance '{governance}': none, halt-scope-loops or budget.");
        }

        var counted = new CountingAuditLog(auditLog);
        await using var gate = builder.UseAuditLog(counted).Build();
        Console.WriteLine($"throughput: {callers} callers, {warmup} s warm-up, {seconds} s measured, store {store} " + (postgres is null ? $"(synchronous={durability}) {scratch.Path}" : $"(database {postgres.Name})") + $", governance {governance}");
        await RunForAsync(gate, callers, TimeSpan.FromSeconds(warmup), latencies: null);
        var latencies = new List<double>[callers];
        for (var i = 0; i < callers; i++)
        {
            latencies[i] = new List<double>(100_000);
        }

        var rowsBefore = counted.Entries;
        var started = Stopwatch.GetTimestamp();
        var calls = await RunForAsync(gate, callers, TimeSpan.FromSeconds(seconds), latencies);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var rows = counted.Entries - rowsBefore;

        var verifyStarted = Stopwatch.GetTimestamp();
        var verification = await gate.AuditLog.VerifyAsync();
        var verifyElapsed = Stopwatch.GetElapsedTime(verifyStarted);
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls={calls} elapsed={elapsed.TotalSeconds:0.00} s throughput={calls / elapsed.TotalSeconds:0} calls/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit rows={rows} rows/s={rows / elapsed.TotalSeconds:0} rows/call={(double)rows / calls:0.00}"));
        Console.WriteLine("call latency: " + Percentiles.Describe(all));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit chain: valid={verification.IsValid} entries={verification.EntriesChecked} verified in {verifyElapsed.TotalSeconds:0.00} s"));
        return verification.IsValid ? 0 : 1;
    }

    private static void AllowRefund(ScopeOptions options, int callers)
    {
        for (var i = 0; i < callers; i++)
        {
            options.Allow($"agent-{i}", "refund", "lookup_*");
        }
    }

    private static async Task<long> RunForAsync(ActionGate gate, int callers, TimeSpan duration, List<double>[]? latencies)
    {
        long total = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
        {
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var request = ActionRequest.Create("refund", new { order_id = $"ord_{worker}_{count}", amount = 40 }) with { AgentId = $"agent-{worker}", SessionId = "load" };
                var callStarted = Stopwatch.GetTimestamp();
                await gate.ExecuteAsync(request, static _ => new ValueTask<int>(1));
                latencies?[worker].Add(Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds);
                count++;
            }

            Interlocked.Add(ref total, count);
        })).ToArray();
        await Task.WhenAll(workers);
        return total;
    }
}
