using System.Globalization;
using System.Text.Json;
using Countersign.Approvals;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Countersign.Cli.Terminal;

/// <summary>An approval request as a reviewer sees it; every agent-supplied value is neutralised and bounded.</summary>
internal static class ApprovalView
{
    private const int MaxArguments = 40;

    public static IRenderable Details(ApprovalRequest approval, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        Row(grid, "Approval", TerminalText.Cell(approval.Id, 80));
        Row(grid, "Tool", TerminalText.Cell(approval.ToolName, 120));
        Row(grid, "Agent", TerminalText.Cell(approval.AgentId ?? approval.RequestedBy ?? "-", 120));
        if (!string.IsNullOrEmpty(approval.Description))
        {
            Row(grid, "Why", TerminalText.Cell(approval.Description, 400));
        }

        Row(grid, "Risk", new Markup(RiskMarkup(approval.Risk)));
        Row(grid, "Status", new Spectre.Console.Text(approval.Status.ToString()));
        Row(grid, "Expires", new Spectre.Console.Text(Remaining(approval.ExpiresAt - now)));
        if (approval.Quorum > 1)
        {
            Row(grid, "Quorum", new Spectre.Console.Text($"{approval.Decisions.Count(d => d.Approved)} of {approval.Quorum} approvals"));
        }

        foreach (var reason in approval.Reasons.Take(5))
        {
            Row(grid, "Policy", TerminalText.Cell(reason, 300));
        }

        Row(grid, "Arguments", Arguments(approval.RedactedArgumentsJson));
        return new Panel(grid).Header("approval request").Border(BoxBorder.Rounded).Expand();
    }

    public static string RiskMarkup(RiskLevel risk) => risk switch
    {
        RiskLevel.Critical => "[bold red]critical[/]",
        RiskLevel.High => "[red]high[/]",
        RiskLevel.Medium => "[yellow]medium[/]",
        _ => "[green]low[/]",
    };

    public static string Remaining(TimeSpan left) => left <= TimeSpan.Zero
        ? "expired"
        : left.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"in {(int)left.TotalHours}h {left.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"in {left.Minutes}m {left.Seconds}s");

    /// <summary>The stored (already redacted) arguments, one line per top-level field, masked values highlighted.</summary>
    public static IRenderable Arguments(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Spectre.Console.Text("-");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return TerminalText.Cell(json, 1000);
            }

            var rows = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            var shown = 0;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (++shown > MaxArguments)
                {
                    rows.AddRow(new Spectre.Console.Text("…"), new Spectre.Console.Text("more fields not shown"));
                    break;
                }

                var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                var text = TerminalText.Markup(value, 300);
                rows.AddRow(TerminalText.Cell(property.Name, 60), new Markup(text.Contains("***", StringComparison.Ordinal) ? $"[magenta]{text}[/]" : text));
            }

            return rows;
        }
        catch (JsonException)
        {
            return TerminalText.Cell(json, 1000);
        }
    }

    private static void Row(Grid grid, string label, IRenderable value) => grid.AddRow(new Markup($"[grey]{label}[/]"), value);
}
