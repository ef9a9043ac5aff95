using System.CommandLine;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Countersign.Sqlite;
using Spectre.Console;

namespace Countersign.Cli.Demo;

/// <summary><c>countersign demo</c>: the guided demo, with a scripted agent on a fresh SQLite file.</summary>
internal static class DemoCommand
{
    private static readonly Option<bool> NonInteractive = new("--non-interactive")
    {
        Description = "Play the scripted reviewer's answers instead of asking (CI). Also used when there is no terminal.",
    };

    private static readonly Option<string?> Reviewer = new("--as")
    {
        Description = "Your reviewer name in the interactive demo (default: your user name).",
        HelpName = "REVIEWER",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("demo", "Walk through Countersign with a scripted agent: allowed, approved, redacted, denied, timed-out and duplicate actions.")
        {
            NonInteractive,
            Reviewer,
        };
        command.WithExamples(
            "countersign demo                       # answer the reviewer's questions yourself",
            "countersign demo --non-interactive     # scripted answers; exits 0 and prints a summary",
            "countersign demo --db demo.db --json   # keep the store; JSON summary for scripts");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var interactive = !context.GetValue(NonInteractive) && context.Host.IsInteractive && !context.Json;
        var narrate = !context.Json;
        var path = DatabasePath(context);
        if (narrate)
        {
            console.Write(new Rule("[bold]Countersign guided demo[/]"));
            console.MarkupLine("An agent (scripted: no model, no API key) proposes six actions. A policy decides each one; some wait for you.");
            console.MarkupLine($"Store: [bold]{Markup.Escape(path)}[/] (SQLite, hash-chained audit log)");
            if (!interactive && !context.GetValue(NonInteractive))
            {
                console.MarkupLine("[yellow]No interactive terminal: playing the scripted reviewer's answers.[/]");
            }
        }

        IDemoReviewer reviewer = interactive
            ? new TerminalDemoReviewer(console, ReviewerName(context))
            : new ScriptedDemoReviewer();
        var runner = new DemoRunner(console, reviewer, narrate);
        IReadOnlyList<DemoResult> results;
        long entries;
        await using (var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = path }, cancellationToken).ConfigureAwait(false))
        {
            results = await runner.RunAsync(store, context.Host.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var verification = await store.AuditLog.VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (!verification.IsValid)
            {
                throw new CliException(ExitCodes.CheckFailed, $"the demo's audit log does not verify: {verification.Problem}");
            }

            entries = verification.EntriesChecked;
        }

        if (context.Json)
        {
            CliJson.Write(context, new { database = path, audit_entries = entries, refunds_paid = runner.RefundsPaid, actions = results });
            return ExitCodes.Success;
        }

        console.WriteLine();
        console.Write(new Rule("[bold]What happened to each action[/]").LeftJustified());
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("#").AddColumn("Action").AddColumn("Policy").AddColumn("Reviewer").AddColumn("Outcome").AddColumn("The agent received");
        foreach (var result in results)
        {
            table.AddRow(
                new Spectre.Console.Text(result.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                TerminalText.Cell(result.Tool),
                new Spectre.Console.Text(result.Policy),
                TerminalText.Cell(result.Reviewer),
                new Markup(result.Outcome == "denied" ? "[red]denied[/]" : $"[green]{Markup.Escape(result.Outcome)}[/]"),
                TerminalText.Cell(result.AgentMessage, 120));
        }

        console.Write(table);
        console.MarkupLine($"Refunds paid: [bold]{runner.RefundsPaid}[/] (the retry was recognised by its idempotency key).");
        console.MarkupLine($"Audit log: [bold]{entries}[/] entries, hash chain [green]verified[/].");
        console.WriteLine();
        console.MarkupLine("Next:");
        console.MarkupLine($"  countersign audit tail --db {Markup.Escape(Quoted(path))}      [grey]# every step, as recorded[/]");
        console.MarkupLine($"  countersign audit verify --db {Markup.Escape(Quoted(path))}    [grey]# check the chain yourself[/]");
        console.MarkupLine($"  countersign policy replay my-policy.yaml --db {Markup.Escape(Quoted(path))}  [grey]# backtest a policy[/]");
        return ExitCodes.Success;
    }

    private static string DatabasePath(CommandContext context)
    {
        // The demo never touches the store $COUNTERSIGN_DB names; it uses --db, or a fresh file of its own.
        if (context.GetValue(GlobalOptions.Database) is { Length: > 0 })
        {
            return CliStore.ResolveDatabasePath(context);
        }

        var folder = Path.Combine(Path.GetTempPath(), "countersign-demo-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)));
        return Path.Combine(folder, "demo.db");
    }

    private static string ReviewerName(CommandContext context) =>
        context.GetValue(Reviewer) is { Length: > 0 } name ? name.Trim() : Environment.UserName is { Length: > 0 } user ? user : "you";

    private static string Quoted(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
