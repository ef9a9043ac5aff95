using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Countersign.Text;

namespace Countersign.Evidence;

/// <summary>Writes an <see cref="EvidenceReport"/> as JSON and as Markdown.</summary>
internal static class EvidenceReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Json(EvidenceReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static string Markdown(EvidenceReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Evidence report: {report.From:O} to {report.To:O}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"> {report.Statement}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Generated {report.GeneratedAt:O} from {report.Entries} audit entries.");
        md.AppendLine();
        md.AppendLine("## Integrity");
        md.AppendLine();
        md.AppendLine(report.Chain.IsValid
            ? $"- Audit chain: **verified**, {report.Chain.EntriesChecked} entries checked."
            : $"- Audit chain: **BROKEN** at entry {report.Chain.FirstBrokenSequence}: {Cell(report.Chain.Problem)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Calls that ran: {report.CallsRun}; with a verdict recorded before running: {report.CallsRunWithVerdictFirst} ({report.VerdictBeforeRunPercent:0.##} %).");
        foreach (var actionId in report.CallsRunWithoutVerdict)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"  - ran without a recorded verdict: `{Cell(actionId)}`");
        }

        Counts(md, "Entries by event", report.ByEvent);
        Counts(md, "Calls by verdict", report.ByVerdict);
        Counts(md, "Calls by tool", report.ByTool);
        Counts(md, "Calls by agent", report.ByAgent);

        md.AppendLine();
        md.AppendLine("## Approvals");
        md.AppendLine();
        md.AppendLine("| approval | tool | agent | requested by | requested | outcome | latency | reviews |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var a in report.Approvals)
        {
            var reviews = string.Join("; ", a.Reviews.Select(r =>
                $"{Cell(r.Reviewer)} [{Cell(string.Join(", ", r.Roles))}] {(r.Approved switch { true => "approved", false => "denied", null => "refused" })}{(r.Comment is null ? string.Empty : $": \"{Cell(r.Comment)}\"")}"));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(a.ApprovalId)} | {Cell(a.Tool)} | {Cell(a.AgentId)} | {Cell(a.RequestedBy)} | {a.RequestedAt:O} | {a.Outcome} | {(a.Latency is { } l ? l.ToString("c", CultureInfo.InvariantCulture) : "-")} | {reviews} |");
        }

        Events(md, "Denials", report.Denials);
        md.AppendLine();
        md.AppendLine("## Halts and resumes");
        md.AppendLine();
        md.AppendLine("| when | event | agent | by | reasons |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var h in report.Halts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {h.At:O} | {h.Event} | {Cell(h.AgentId)} | {Cell(h.By)} | {Cell(string.Join("; ", h.Reasons))} |");
        }

        Events(md, "Budget overruns", report.BudgetOverruns);
        Events(md, "Contract violations", report.ContractViolations);
        return md.ToString();
    }

    private static void Counts(StringBuilder md, string title, IReadOnlyDictionary<string, long> counts)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        md.AppendLine();
        md.AppendLine("| name | count |");
        md.AppendLine("| --- | ---: |");
        foreach (var (name, count) in counts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(name)} | {count} |");
        }
    }

    private static void Events(StringBuilder md, string title, IReadOnlyList<EvidenceDenial> events)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        md.AppendLine();
        md.AppendLine("| when | action | tool | agent | code | reasons |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var e in events)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {e.At:O} | {Cell(e.ActionId)} | {Cell(e.Tool)} | {Cell(e.AgentId)} | {Cell(e.Code)} | {Cell(string.Join("; ", e.Reasons))} |");
        }
    }

    // Text from agents and reviewers cannot break out of its table cell, hide characters or fake Markdown structure.
    private static string Cell(string? text) => text is null
        ? "-"
        : ReviewerText.Neutralize(text, 500)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("`", "\\`", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
