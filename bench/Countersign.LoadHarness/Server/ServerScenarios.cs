using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Client.Protocol;
using Countersign.Sqlite;

namespace Countersign.LoadHarness.Server;

/// <summary>The server's figures: signed allow-path submissions, decision → waiting client resumes, first queue page.</summary>
internal static class ServerScenarios
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Signed POST /v1/actions on the allow path from concurrent callers over loopback; optionally each reports its outcome too.</summary>
    public static async Task<int> AllowAsync(HarnessArguments arguments)
    {
        var callers = arguments.Int("callers", 32);
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 3);
        var report = arguments.Text("report", "false") == "true";
        var baseline = arguments.Text("target", "actions") == "health";
        var durability = Enum.Parse<SqliteDurability>(arguments.Text("durability", "full"), ignoreCase: true);
        using var scratch = new ScratchDatabase();
        await using var server = await HarnessServer.StartAsync(scratch.Directory, durability);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = callers });
        Console.WriteLine($"server-allow: {callers} callers, {warmup} s warm-up, {seconds} s measured, report outcome={report}, synchronous={durability}, target={(baseline ? "GET /health (HTTP baseline)" : "POST /v1/actions")}");
        await RunForAsync(server, http, callers, TimeSpan.FromSeconds(warmup), report, null, baseline);
        var latencies = Enumerable.Range(0, callers).Select(_ => new List<double>(100_000)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var calls = await RunForAsync(server, http, callers, TimeSpan.FromSeconds(seconds), report, latencies, baseline);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submissions={calls} elapsed={elapsed.TotalSeconds:0.00} s throughput={calls / elapsed.TotalSeconds:0} req/s (submit{(report ? " + report" : string.Empty)} per call)"));
        Console.WriteLine("call latency: " + Percentiles.Describe([.. latencies.SelectMany(l => l)]));
        return 0;
    }

    private static async Task<long> RunForAsync(HarnessServer server, HttpClient http, int callers, TimeSpan duration, bool report, List<double>[]? latencies, bool baseline)
    {
        long total = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
        {
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var body = $"{{\"tool\":\"read_file\",\"arguments\":{{\"path\":\"f_{worker}_{count}\"}}}}";
                var callStarted = Stopwatch.GetTimestamp();
                using (var response = await http.SendAsync(baseline ? new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "health")) : server.Signed(HttpMethod.Post, "v1/actions", body)))
                {
                    response.EnsureSuccessStatusCode();
                    if (report && !baseline)
                    {
                        var verdict = (await response.Content.ReadFromJsonAsync<ActionVerdict>(Json))!;
                        using var reported = await http.SendAsync(server.Signed(HttpMethod.Post, $"v1/actions/{verdict.ActionId}/outcome", "{\"succeeded\":true}"));
                        reported.EnsureSuccessStatusCode();
                    }
                }

                latencies?[worker].Add(Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds);
                count++;
            }

            Interlocked.Add(ref total, count);
        })).ToArray();
        await Task.WhenAll(workers);
        return total;
    }

    /// <summary>A client long-polls a pending approval; a reviewer decides over the API; measured from sending the decision to the client's answer.</summary>
    public static async Task<int> WakeupAsync(HarnessArguments arguments)
    {
        var iterations = arguments.Int("iterations", 300);
        var durability = Enum.Parse<SqliteDurability>(arguments.Text("durability", "full"), ignoreCase: true);
        using var scratch = new ScratchDatabase();
        await using var server = await HarnessServer.StartAsync(scratch.Directory, durability);
        using var http = new HttpClient();
        using var reviewer = HarnessServer.Reviewer(server.BaseAddress, "bob", "reviewer");
        Console.WriteLine($"server-wakeup: {iterations} iterations, synchronous={durability}");
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations + 20; i++)
        {
            using var submitted = await http.SendAsync(server.Signed(HttpMethod.Post, "v1/actions", $"{{\"tool\":\"refund\",\"arguments\":{{\"n\":{i}}},\"requestedBy\":\"alice\"}}"));
            var pending = (await submitted.Content.ReadFromJsonAsync<ActionVerdict>(Json))!;
            var waiting = http.SendAsync(server.Signed(HttpMethod.Get, $"v1/approvals/{pending.ApprovalId}/wait?timeoutSeconds=30"));
            // Let the long-poll reach the server and park before the decision is sent.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            var decided = Stopwatch.GetTimestamp();
            using var review = await reviewer.PostAsJsonAsync($"v1/approvals/{pending.ApprovalId}/reviews", new { decision = "approve" });
            review.EnsureSuccessStatusCode();
            using var resumed = await waiting;
            var elapsed = Stopwatch.GetElapsedTime(decided).TotalMilliseconds;
            var view = (await resumed.Content.ReadFromJsonAsync<ApprovalView>(Json))!;
            if (view.Status != "granted")
            {
                throw new InvalidOperationException($"The waiting client saw {view.Status}.");
            }

            if (i >= 20)
            {
                samples.Add(elapsed);
            }
        }

        Console.WriteLine("decision sent -> waiting client has its answer: " + Percentiles.Describe(samples));
        return 0;
    }

    /// <summary>The first page of the pending queue with many pending approvals in the store.</summary>
    public static async Task<int> QueueAsync(HarnessArguments arguments)
    {
        var pending = arguments.Int("pending", 100_000);
        var iterations = arguments.Int("iterations", 200);
        using var scratch = new ScratchDatabase();
        await using var server = await HarnessServer.StartAsync(scratch.Directory, SqliteDurability.Normal);
        var seedStarted = Stopwatch.GetTimestamp();
        var now = TimeProvider.System.GetUtcNow();
        var store = server.Store;
        await Parallel.ForAsync(0, pending, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            await store.CreateOrGetAsync(
                new ApprovalRequest
                {
                    Id = "apr_" + Guid.CreateVersion7(now.AddTicks(i)).ToString("N"),
                    ActionId = "act_" + Guid.CreateVersion7(now.AddTicks(i)).ToString("N"),
                    ToolName = i % 10 == 0 ? "payout" : "refund",
                    PayloadHash = "h" + i.ToString(CultureInfo.InvariantCulture),
                    RedactedArgumentsJson = $"{{\"n\":{i}}}",
                    RequestedBy = "alice",
                    CreatedAt = now.AddTicks(i),
                    ExpiresAt = now.AddHours(2),
                },
                ct);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server-queue: seeded {pending} pending approvals in {Stopwatch.GetElapsedTime(seedStarted).TotalSeconds:0.0} s; {iterations} requests per order"));
        using var viewer = HarnessServer.Reviewer(server.BaseAddress, "vic", "viewer");
        foreach (var order in new[] { "oldest", "newest" })
        {
            var samples = new List<double>(iterations);
            for (var i = 0; i < iterations + 10; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = (await viewer.GetFromJsonAsync<ApprovalPageView>($"v1/approvals?status=pending&order={order}&pageSize=50", Json))!;
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (page.Items.Count != 50)
                {
                    throw new InvalidOperationException($"The first page held {page.Items.Count} approvals.");
                }

                if (i >= 10)
                {
                    samples.Add(elapsed);
                }
            }

            Console.WriteLine($"first page (50, {order} first) over HTTP: " + Percentiles.Describe(samples));
        }

        return 0;
    }
}
