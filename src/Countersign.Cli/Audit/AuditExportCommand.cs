using System.CommandLine;
using System.Text;
using Countersign.Audit;
using Countersign.Cli.CommandLine;
using Spectre.Console;

namespace Countersign.Cli.Audit;

/// <summary><c>countersign audit export</c>: the whole log (or what follows a sequence) as JSON Lines or CSV.</summary>
internal static class AuditExportCommand
{
    private static readonly Option<string> Format = new Option<string>("--format")
    {
        Description = "jsonl (default) or csv.",
        DefaultValueFactory = _ => "jsonl",
    }.AcceptOnlyFromAmong("jsonl", "csv");

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Write to this file instead of standard output.",
        HelpName = "FILE",
    };

    private static readonly Option<long> After = new("--after")
    {
        Description = "Only entries after this sequence number (for incremental exports).",
        HelpName = "SEQUENCE",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("export", "Export audit entries as JSON Lines or CSV, with their chain fields.") { Format, Output, After };
        After.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 0)
            {
                result.AddError("--after must be 0 or more.");
            }
        });
        command.WithExamples(
            "countersign audit export > audit.jsonl",
            "countersign audit export --format csv --output audit.csv",
            "countersign audit export --after 1200 >> audit.jsonl   # only what is new");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var path = CliStore.ResolveDatabasePath(context);
        await using var store = await CliStore.OpenAsync(context, readOnly: true, cancellationToken);
        var after = context.GetValue(After);
        var format = context.GetValue(Format) == "csv" ? AuditExportFormat.Csv : AuditExportFormat.Jsonl;
        var outputPath = context.GetValue(Output) is { Length: > 0 } given ? context.Host.ResolvePath(given) : null;
        var total = Math.Max(0, AuditLogSize.LastSequence(path) - after);

        long written;
        if (outputPath is null)
        {
            written = await WriteAsync(context.Host.Out, store.AuditLog, format, after, null, cancellationToken);
        }
        else
        {
            var file = new StreamWriter(outputPath, append: false, new UTF8Encoding(false), 1 << 16);
            await using (file)
            {
                written = context.ShowProgress
                    ? await context.Console.Progress().AutoClear(true).StartAsync(async progress =>
                    {
                        var task = progress.AddTask("Exporting the audit log", maxValue: Math.Max(1, total));
                        return await WriteAsync(file, store.AuditLog, format, after, task, cancellationToken);
                    })
                    : await WriteAsync(file, store.AuditLog, format, after, null, cancellationToken);
            }

            if (context.Json)
            {
                CliJson.Write(context, new { output = outputPath, format, entries = written });
            }
            else
            {
                context.Host.Error.WriteLine($"Exported {written} entries to {outputPath}.");
            }
        }

        return ExitCodes.Success;
    }

    private static async Task<long> WriteAsync(TextWriter output, IAuditLog log, AuditExportFormat format, long after, ProgressTask? progress, CancellationToken cancellationToken)
    {
        var line = new StringBuilder(1024);
        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync(AuditCsvWriter.Header + "\n");
        }

        long written = 0;
        await foreach (var record in log.ReadAsync(after, cancellationToken))
        {
            line.Clear();
            if (format == AuditExportFormat.Csv)
            {
                AuditCsvWriter.WriteRow(line, record);
            }
            else
            {
                line.Append(AuditJsonlExporter.FormatLine(record)).Append('\n');
            }

            await output.WriteAsync(line, cancellationToken);
            if (++written % 4096 == 0)
            {
                progress?.Value(written);
            }
        }

        progress?.Value(written);
        await output.FlushAsync(cancellationToken);
        return written;
    }
}
