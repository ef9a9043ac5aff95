using System.Globalization;
using System.Text.Json;
using Countersign.Audit;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Audit;

/// <summary>One audit record as one terminal line; every stored text is neutralised (it came from an agent).</summary>
internal static class AuditLine
{
    public static string KindName(AuditEventKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    public static string Markup(AuditRecord record)
    {
        var entry = record.Entry;
        var parts = new List<string>
        {
            $"[grey]#{record.Sequence.ToString(CultureInfo.InvariantCulture)}[/]",
            $"[grey]{entry.Timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}[/]",
            $"[bold]{KindName(entry.Kind),-18}[/]",
            TerminalText.Markup(entry.ToolName, 80),
            $"[grey]{TerminalText.Markup(entry.ActionId, 60)}[/]",
        };
        Add(parts, "agent", entry.AgentId);
        Add(parts, "verdict", entry.Verdict);
        Add(parts, "path", entry.ExecutionPath);
        Add(parts, "by", entry.Actor);
        Add(parts, "denial", entry.DenialCode);
        if (entry.Executed is { } executed)
        {
            parts.Add(executed ? "[green]executed[/]" : "[red]not executed[/]");
        }

        Add(parts, "comment", entry.Comment);
        return string.Join(' ', parts);
    }

    private static void Add(List<string> parts, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add($"{label}={TerminalText.Markup(value, 120)}");
        }
    }
}
