using System.CommandLine;
using Countersign.Audit;
using Countersign.Cli.Audit;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Policies;

/// <summary>
/// <c>countersign policy replay FILE</c>: backtests a policy on the actions recorded in the audit log and reports
/// what it would change: newly held, newly allowed, newly denied, and actions whose verdict cannot be known.
/// </summary>
internal static class PolicyReplayCommand
{
    private static readonly Argument<string> File = new("FILE") { Description = "The policy to backtest (.yaml, .yml or .json)." };

    private static readonly Option<int> Limit = new("--limit")
    {
        Description = "How many changed actions to list (0 to 10000; the counts always cover all).",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<bool> FailOnChange = new("--fail-on-change")
    {
        Description = "Exit 1 when any verdict would change (for CI checks of policy changes).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("replay", "Replay the actions recorded in the audit log against a policy and report what would change.") { File, Limit, FailOnChange };
        Limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 10_000)
            {
                result.AddError("--limit must be between 0 and 10000.");
            }
        });
        command.WithExamples(
            "countersign policy replay new-policy.yaml --db countersign.db",
            "countersign policy replay new-policy.yaml --fail-on-change    # exit 1 if any verdict changes",
            "countersign policy replay new-policy.yaml --json --limit 1000");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var policy = PolicyFile.Load(PolicyFile.Resolve(context, context.GetValue(File)));
        var path = CliStore.ResolveDatabasePath(context);
        await using var store = await CliStore.OpenAsync(context, readOnly: true, cancellationToken);
        var replayer = new PolicyReplayer(policy, context.GetValue(Limit));
        if (context.ShowProgress)
        {
            var total = AuditLogSize.LastSequence(path);
            await context.Console.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask("Replaying the audit log", maxValue: Math.Max(1, total));
                await ReplayAsync(store.AuditLog, replayer, task, cancellationToken);
            });
        }
        else
        {
            await ReplayAsync(store.AuditLog, replayer, null, cancellationToken);
        }

        var changed = replayer.Count(ReplayChangeKind.NewlyHeld) + replayer.Count(ReplayChangeKind.NewlyAllowed) + replayer.Count(ReplayChangeKind.NewlyDenied);
        if (context.Json)
        {
            CliJson.Write(context, new
            {
                policy = policy.Name,
                replayed = replayer.Replayed,
                unchanged = replayer.Count(ReplayChangeKind.Unchanged),
                newly_held = replayer.Count(ReplayChangeKind.NewlyHeld),
                newly_allowed = replayer.Count(ReplayChangeKind.NewlyAllowed),
                newly_denied = replayer.Count(ReplayChangeKind.NewlyDenied),
                unknowable = replayer.Count(ReplayChangeKind.Unknowable),
                unreadable = replayer.Unreadable,
                changes = replayer.Examples,
            });
        }
        else
        {
            Print(context, policy.Name, replayer);
        }

        return context.GetValue(FailOnChange) && changed > 0 ? ExitCodes.CheckFailed : ExitCodes.Success;
    }

    private static async Task ReplayAsync(IAuditLog log, PolicyReplayer replayer, ProgressTask? progress, CancellationToken cancellationToken)
    {
        long read = 0;
        await foreach (var record in log.ReadAsync(0, cancellationToken))
        {
            replayer.Add(record);
            if (++read % 8192 == 0)
            {
                progress?.Value(read);
            }
        }

        progress?.Value(read);
    }

    private static void Print(CommandContext context, string policyName, PolicyReplayer replayer)
    {
        var console = context.Console;
        console.MarkupLine($"Replayed [bold]{replayer.Replayed}[/] recorded actions against policy '{TerminalText.Markup(policyName)}':");
        var counts = new Table().Border(TableBorder.Rounded).AddColumn("verdict").AddColumn(new TableColumn("actions").RightAligned());
        counts.AddRow("unchanged", replayer.Count(ReplayChangeKind.Unchanged).ToString(System.Globalization.CultureInfo.InvariantCulture));
        counts.AddRow("[yellow]newly held[/]", replayer.Count(ReplayChangeKind.NewlyHeld).ToString(System.Globalization.CultureInfo.InvariantCulture));
        counts.AddRow("[green]newly allowed[/]", replayer.Count(ReplayChangeKind.NewlyAllowed).ToString(System.Globalization.CultureInfo.InvariantCulture));
        counts.AddRow("[red]newly denied[/]", replayer.Count(ReplayChangeKind.NewlyDenied).ToString(System.Globalization.CultureInfo.InvariantCulture));
        counts.AddRow("[magenta]unknowable[/] (redacted field)", replayer.Count(ReplayChangeKind.Unknowable).ToString(System.Globalization.CultureInfo.InvariantCulture));
        console.Write(counts);
        if (replayer.Unreadable > 0)
        {
            console.MarkupLine($"[grey]{replayer.Unreadable} decision entries had unreadable arguments and were skipped.[/]");
        }

        if (replayer.Examples.Count == 0)
        {
            return;
        }

        var changes = new Table().Border(TableBorder.Rounded)
            .AddColumn("entry").AddColumn("action").AddColumn("tool").AddColumn("recorded").AddColumn("now").AddColumn("why");
        foreach (var change in replayer.Examples)
        {
            changes.AddRow(
                new Spectre.Console.Text("#" + change.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                TerminalText.Cell(change.ActionId, 60),
                TerminalText.Cell(change.Tool, 80),
                new Spectre.Console.Text(change.Recorded),
                new Spectre.Console.Text(change.Replayed),
                TerminalText.Cell(change.Detail, 300));
        }

        console.Write(changes);
    }
}
