using System.Diagnostics;
using System.Globalization;
using Countersign.Audit;
using Countersign.Evidence;
using Countersign.Sqlite;

namespace Countersign.LoadHarness;

/// <summary>The evidence report over a SQLite audit log of many entries: a day of calls, approvals, denials and halts.</summary>
internal static class EvidenceReportScenario
{
    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var entries = arguments.Int("entries", 1_000_000);
        using var scratch = new ScratchDatabase();
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = scratch.Path, Durability = SqliteDurability.Normal });
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(1) / entries;
        var fillStarted = Stopwatch.GetTimestamp();
        var batch = new List<AuditEntry>(1_000);
        for (var i = 0; i < entries; i++)
        {
            batch.Add(Entry(i, start + (step * i)));
            if (batch.Count == batch.Capacity)
            {
                await store.AuditLog.AppendAsync(batch);
                batch.Clear();
            }
        }

        await store.AuditLog.AppendAsync(batch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evidence: {entries} entries written in {Stopwatch.GetElapsedTime(fillStarted).TotalSeconds:0.0} s, {scratch.Path}"));

        var started = Stopwatch.GetTimestamp();
        var report = await EvidenceReportBuilder.BuildAsync(store.AuditLog, start, start.AddDays(1));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var markdown = report.ToMarkdown();
        var json = report.ToJson();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report over {report.Entries} entries in {elapsed.TotalSeconds:0.00} s (chain valid={report.Chain.IsValid}, {report.Chain.EntriesChecked} checked; calls run {report.CallsRun}, verdict first {report.VerdictBeforeRunPercent:0.##} %; approvals {report.Approvals.Count}; denials {report.Denials.Count}; markdown {markdown.Length} chars, json {json.Length} chars)"));
        return report.Chain.IsValid && report.VerdictBeforeRunPercent == 100 ? 0 : 1;
    }

    // Per 100 entries, in a fixed pattern: 45 allowed calls (authorized + outcome), 2 denials, 2 approvals with a review each, a halt or a resume, 3 presence changes.
    private static AuditEntry Entry(int i, DateTimeOffset at)
    {
        var call = i / 2;
        var slot = i % 100;
        var actionId = "act_" + call.ToString(CultureInfo.InvariantCulture);
        return slot switch
        {
            90 or 91 => new AuditEntry { Timestamp = at, Kind = AuditEventKind.Outcome, ActionId = "act_d" + i.ToString(CultureInfo.InvariantCulture), ToolName = "drop_table", AgentId = "agent-" + (i % 7), Verdict = "deny", Executed = false, DenialCode = "policy", Reasons = ["rule 'no-drops' denies calls to 'drop_table'"] },
            92 or 94 => new AuditEntry { Timestamp = at, Kind = AuditEventKind.ApprovalRequested, ActionId = "act_a" + i.ToString(CultureInfo.InvariantCulture), ToolName = "wire", AgentId = "agent-1", ApprovalId = "apr_" + i.ToString(CultureInfo.InvariantCulture), Verdict = "require_approval" },
            93 or 95 => new AuditEntry { Timestamp = at, Kind = AuditEventKind.Reviewed, ActionId = "act_a" + (i - 1).ToString(CultureInfo.InvariantCulture), ToolName = "wire", ApprovalId = "apr_" + (i - 1).ToString(CultureInfo.InvariantCulture), Actor = "alice", ActorRoles = ["finance"], Approved = true, Verdict = "granted", Comment = "ok" },
            96 => new AuditEntry { Timestamp = at, Kind = i % 200 == 96 ? AuditEventKind.AgentHalted : AuditEventKind.AgentResumed, ActionId = "gov_" + i.ToString(CultureInfo.InvariantCulture), ToolName = "*", AgentId = "agent-3", Actor = "carol", Reasons = ["drill"] },
            >= 97 => new AuditEntry { Timestamp = at, Kind = AuditEventKind.PresenceChanged, ActionId = "gov_p" + i.ToString(CultureInfo.InvariantCulture), ToolName = "*", AgentId = "agent-2", Verdict = "idle" },
            _ when i % 2 == 0 => new AuditEntry { Timestamp = at, Kind = AuditEventKind.Authorized, ActionId = actionId, ToolName = "refund", AgentId = "agent-" + (call % 7), Verdict = "allow", ExecutionPath = "allow", ArgumentsJson = """{"amount":40}""" },
            _ => new AuditEntry { Timestamp = at, Kind = AuditEventKind.Outcome, ActionId = actionId, ToolName = "refund", AgentId = "agent-" + (call % 7), Verdict = "allow", Executed = true, ExecutionPath = "allow", ResultJson = "1" },
        };
    }
}
