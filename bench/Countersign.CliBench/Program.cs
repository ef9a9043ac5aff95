using System.Diagnostics;
using System.Globalization;
using System.Text;
using Countersign.Audit;
using Countersign.Sqlite;

// Builds the data the CLI's performance figures are measured on (docs/performance.md, "The countersign tool"):
// a SQLite store whose audit log holds N recorded actions (one `authorized` entry each, arguments as recorded, some
// redacted) and a 100-rule policy file to replay them against. Usage: Countersign.CliBench OUT_DIR [ENTRIES]
if (args.Length is 0 or > 2)
{
    Console.Error.WriteLine("usage: Countersign.CliBench OUT_DIR [ENTRIES]   (default 1000000)");
    return 2;
}

var folder = Path.GetFullPath(args[0]);
var entries = args.Length == 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
Directory.CreateDirectory(folder);
var database = Path.Combine(folder, "audit.db");
foreach (var file in Directory.GetFiles(folder, "audit.db*"))
{
    File.Delete(file);
}

await File.WriteAllTextAsync(Path.Combine(folder, "policy-100.yaml"), BenchPolicy.Yaml());

var clock = Stopwatch.StartNew();
await using (var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = database, Durability = SqliteDurability.Normal }))
{
    var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    const int batch = 2000;
    for (var first = 0; first < entries; first += batch)
    {
        var chunk = new List<AuditEntry>(batch);
        for (var i = first; i < Math.Min(entries, first + batch); i++)
        {
            chunk.Add(RecordedAction.Entry(i, start.AddMilliseconds(i)));
        }

        await store.AuditLog.AppendAsync(chunk);
    }
}

Console.WriteLine($"{entries} entries in {database} ({clock.Elapsed.TotalSeconds:0.0} s); policy: {Path.Combine(folder, "policy-100.yaml")}");
return 0;

/// <summary>One recorded action of the benchmark log: a spread of tools, agents, amounts and redacted card numbers.</summary>
internal static class RecordedAction
{
    public static AuditEntry Entry(int i, DateTimeOffset at)
    {
        var (tool, agent, arguments, verdict) = (i % 10) switch
        {
            0 or 1 or 2 => ($"read_record_{i % 40}", $"reader-{i % 7}", $"{{\"id\":{i},\"amount\":{i % 2_000_000}}}", "allow"),
            3 or 4 => ($"refund_{i % 20}", "billing-bot", $"{{\"amount\":{i % 500},\"card\":{{\"number\":\"***\"}},\"order\":\"ord_{i}\"}}", i % 500 > 100 ? "require_approval" : "allow"),
            5 or 6 => ($"update_customer_{i % 20}", "crm-bot", $"{{\"customer_id\":\"{(i % 3 == 0 ? "prod" : "test")}-{i}\"}}", i % 3 == 0 ? "require_approval" : "allow"),
            7 => ($"tool_{i % 15}_run", $"ops-{i % 3}", "{\"target\":\"eu\"}", "allow"),
            8 => ($"delete_item_{i % 5}", "cleanup-bot", $"{{\"id\":{i}}}", "deny"),
            _ => ($"list_things_{i % 9}", "reader-1", "{}", "allow"),
        };
        return new AuditEntry
        {
            Timestamp = at,
            Kind = AuditEventKind.Authorized,
            ActionId = "act_bench_" + i.ToString("D8", CultureInfo.InvariantCulture),
            ToolName = tool,
            AgentId = agent,
            RequestedBy = agent,
            ArgumentsJson = arguments,
            PayloadHash = "0000000000000000000000000000000000000000000000000000000000000000",
            Verdict = verdict,
            Mode = "enforce",
            Approved = verdict != "deny",
            DecisionSource = "policy",
            Actor = "policy",
            ExecutionPath = verdict == "allow" ? "allow" : "approved",
        };
    }
}

/// <summary>A 100-rule policy file: exact names, globs, agent patterns, amount and regex conditions, denies and a fallback.</summary>
internal static class BenchPolicy
{
    public static string Yaml()
    {
        var yaml = new StringBuilder("name: bench-100\ndefault_effect: require_approval\nrules:\n");
        for (var i = 0; i < 40; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: read-{i}, tool: read_record_{i}, agent: \"reader-*\", effect: allow }}\n");
        }

        for (var i = 0; i < 20; i++)
        {
            // Stricter than what was recorded: refunds over 50 now need a human. The card number is tested, and was redacted.
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: refund-big-{i}, tool: refund_{i}, amount_over: {{ arg: amount, threshold: 50 }}, effect: require_approval, risk_level: high }}\n");
        }

        for (var i = 0; i < 20; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: update-prod-{i}, tool: update_customer_{i}, match_args: {{ customer_id: \"^prod-\" }}, effect: require_approval }}\n");
        }

        for (var i = 0; i < 15; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: glob-{i}, tool: \"tool_{i}_*\", agent: \"ops-*\", effect: allow }}\n");
        }

        yaml.Append("  - { name: card-check, tool: \"refund_1*\", match_args: { card.number: \"^4\" }, effect: deny, reason: no visa refunds }\n");
        yaml.Append("  - { name: no-deletes, tool: \"delete_*\", effect: deny, reason: deletes are never automated }\n");
        yaml.Append("  - { name: lists, tool: \"list_*\", effect: allow }\n");
        yaml.Append("  - { name: reads-big, tool: \"read_record_*\", amount_over: { arg: amount, threshold: 1000000 }, effect: require_approval }\n");
        yaml.Append("  - { name: fallback, tool: \"*\", effect: require_approval }\n");
        return yaml.ToString();
    }
}
