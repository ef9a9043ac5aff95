using System.Diagnostics;
using System.Globalization;
using Countersign.Audit;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>
/// The SQLite audit log alone, without the gate: each caller appends one entry and waits, then one more and waits, as
/// the gate does around an allowed call, so the store's ceiling can be told apart from the gate's cost.
/// </summary>
internal static class AuditAppendScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var callers = arguments.Int("callers", 32);
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 3);
        var durability = Enum.Parse<SqliteDurability>(arguments.Text("durability", "full"), ignoreCase: true);
        using var scratch = new ScratchDatabase();
        await using var store = SqliteStore.Open(new SqliteStoreOptions { DatabasePath = scratch.Path, Durability = durability });
        Console.WriteLine($"audit appends: {callers} callers, {warmup} s warm-up, {seconds} s measured, synchronous={durability} {scratch.Path}");
        await RunForAsync(store.AuditLog, callers, TimeSpan.FromSeconds(warmup));
        var started = Stopwatch.GetTimestamp();
        var rounds = await RunForAsync(store.AuditLog, callers, TimeSpan.FromSeconds(seconds));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var verification = await store.AuditLog.VerifyAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds={rounds} rounds/s={rounds / elapsed:0} appends/s={2 * rounds / elapsed:0} rows/s={4 * rounds / elapsed:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit chain: valid={verification.IsValid} entries={verification.EntriesChecked}"));
        return verification.IsValid ? 0 : 1;
    }

    private static async Task<long> RunForAsync(IAuditLog log, int callers, TimeSpan duration)
    {
        long total = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
        {
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var actionId = $"act_{worker}_{count}";
                var now = TimeProvider.System.GetUtcNow();
                // What the gate writes for an allowed call: the release before it runs, the outcome after.
                await log.AppendAsync([Entry(AuditEventKind.Authorized, actionId, now)]);
                await log.AppendAsync([Entry(AuditEventKind.Outcome, actionId, now)]);
                count++;
            }

            Interlocked.Add(ref total, count);
        })).ToArray();
        await Task.WhenAll(workers);
        return total;
    }

    private static AuditEntry Entry(AuditEventKind kind, string actionId, DateTimeOffset now) =>
        new() { Timestamp = now, Kind = kind, ActionId = actionId, ToolName = "refund", AgentId = "load" };
}
