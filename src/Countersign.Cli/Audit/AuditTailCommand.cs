using System.CommandLine;
using Countersign.Audit;
using Countersign.Cli.CommandLine;
using Spectre.Console;

namespace Countersign.Cli.Audit;

/// <summary><c>countersign audit tail [-n N] [-f]</c>: the last entries, then (with -f) new ones as they are committed.</summary>
internal static class AuditTailCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly Option<int> Lines = new("--lines", "-n")
    {
        Description = "How many of the last entries to print first (0 to 100000).",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<bool> Follow = new("--follow", "-f")
    {
        Description = "Keep printing entries as they are committed, until Ctrl+C.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("tail", "Print the last audit entries; with -f, follow new ones.") { Lines, Follow };
        Lines.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 100_000)
            {
                result.AddError("--lines must be between 0 and 100000.");
            }
        });
        command.WithExamples(
            "countersign audit tail                 # the last 20 entries",
            "countersign audit tail -n 100 -f       # then follow new ones (Ctrl+C stops)",
            "countersign audit tail --json -f | jq  # JSON Lines, one entry per line");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var path = CliStore.ResolveDatabasePath(context);
        await using var store = await CliStore.OpenAsync(context, readOnly: true, cancellationToken);
        var last = Math.Max(0, AuditLogSize.LastSequence(path) - context.GetValue(Lines));
        last = await PrintAfterAsync(context, store.AuditLog, last, cancellationToken);
        if (!context.GetValue(Follow))
        {
            return ExitCodes.Success;
        }

        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, context.Host.TimeProvider, cancellationToken);
                last = await PrintAfterAsync(context, store.AuditLog, last, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a follow ends.
            return ExitCodes.Success;
        }
    }

    private static async Task<long> PrintAfterAsync(CommandContext context, IAuditLog log, long after, CancellationToken cancellationToken)
    {
        await foreach (var record in log.ReadAsync(after, cancellationToken))
        {
            if (context.Json)
            {
                context.Host.Out.WriteLine(AuditJsonlExporter.FormatLine(record));
            }
            else
            {
                context.WriteMarkupLine(AuditLine.Markup(record));
            }

            after = record.Sequence;
        }

        await context.Host.Out.FlushAsync(cancellationToken);
        return after;
    }
}
