using System.CommandLine;
using System.Globalization;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Review;

/// <summary><c>countersign pending</c>: the requests waiting for a reviewer.</summary>
internal static class PendingCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("pending", "List the approval requests waiting for a reviewer, oldest first.");
        command.WithExamples(
            "countersign pending --db countersign.db",
            "countersign pending --json | jq -r '.[].id'");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenAsync(context, readOnly: true, cancellationToken);
        var now = context.Host.TimeProvider.GetUtcNow();
        var pending = await PendingApprovals.ListAsync(store.Approvals, now, cancellationToken);
        if (context.Json)
        {
            CliJson.Write(context, pending.Select(a => new
            {
                id = a.Id,
                tool = a.ToolName,
                agent = a.AgentId,
                requested_by = a.RequestedBy,
                description = a.Description,
                risk = a.Risk,
                reasons = a.Reasons,
                arguments = System.Text.Json.JsonDocument.Parse(a.RedactedArgumentsJson).RootElement,
                approvals = a.Decisions.Count(d => d.Approved),
                quorum = a.Quorum,
                reviewer_roles = a.ReviewerRoles,
                created_at = a.CreatedAt,
                expires_at = a.ExpiresAt,
            }));
            return ExitCodes.Success;
        }

        if (pending.Count == 0)
        {
            context.Console.MarkupLine("Nothing is waiting for a reviewer.");
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("id").AddColumn("tool").AddColumn("agent").AddColumn("risk").AddColumn("approvals").AddColumn("expires").AddColumn("why");
        foreach (var approval in pending)
        {
            table.AddRow(
                new Spectre.Console.Text(approval.Id),
                TerminalText.Cell(approval.ToolName, 60),
                TerminalText.Cell(approval.AgentId ?? approval.RequestedBy, 60),
                new Markup(ApprovalView.RiskMarkup(approval.Risk)),
                new Spectre.Console.Text(string.Create(CultureInfo.InvariantCulture, $"{approval.Decisions.Count(d => d.Approved)}/{approval.Quorum}")),
                new Spectre.Console.Text(ApprovalView.Remaining(approval.ExpiresAt - now)),
                TerminalText.Cell(approval.Description, 80));
        }

        context.Console.Write(table);
        context.Console.MarkupLine($"{pending.Count} waiting. Decide with [bold]countersign approve ID[/] or [bold]countersign deny ID --comment TEXT[/], or run [bold]countersign review[/].");
        return ExitCodes.Success;
    }
}
