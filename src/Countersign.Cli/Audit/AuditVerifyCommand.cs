using System.CommandLine;
using Countersign.Audit;
using Countersign.Cli.CommandLine;
using Spectre.Console;

namespace Countersign.Cli.Audit;

/// <summary><c>countersign audit verify</c>: walks the chain; exit 0 when clean, 1 when tampered.</summary>
internal static class AuditVerifyCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("verify", "Check every entry's MAC and link; print the first broken entry. Exit 0 when clean, 1 when tampered.");
        command.WithExamples(
            "countersign audit verify --db countersign.db",
            "countersign audit verify --json    # {\"valid\": false, \"first_broken_sequence\": 42, ...}");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenAsync(context, readOnly: true, cancellationToken);
        AuditVerificationResult result;
        if (context.ShowProgress)
        {
            result = await context.Console.Status().StartAsync("Verifying the audit chain...", _ => store.AuditLog.VerifyAsync(cancellationToken).AsTask());
        }
        else
        {
            result = await store.AuditLog.VerifyAsync(cancellationToken);
        }

        AuditRecord? broken = null;
        if (result.FirstBrokenSequence is { } sequence)
        {
            broken = await ReadEntryAsync(store.AuditLog, sequence, cancellationToken);
        }

        if (context.Json)
        {
            CliJson.Write(context, new
            {
                valid = result.IsValid,
                entries_checked = result.EntriesChecked,
                first_broken_sequence = result.FirstBrokenSequence,
                problem = result.Problem,
                first_broken_entry = broken is null ? (System.Text.Json.JsonElement?)null : System.Text.Json.JsonDocument.Parse(AuditJsonlExporter.FormatLine(broken)).RootElement,
            });
        }
        else if (result.IsValid)
        {
            context.Console.MarkupLine($"[green]Audit log clean[/]: {result.EntriesChecked} entries verified, every MAC and link intact.");
        }
        else
        {
            context.Console.MarkupLine($"[bold red]Audit log TAMPERED[/]: the first broken entry is #{result.FirstBrokenSequence}.");
            context.Console.MarkupLine(Markup.Escape(Terminal.TerminalText.Plain(result.Problem, 500)));
            context.WriteMarkupLine(broken is null ? "[grey](the entry itself cannot be read)[/]" : "Entry as stored: " + AuditLine.Markup(broken));
        }

        return result.IsValid ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static async Task<AuditRecord?> ReadEntryAsync(IAuditLog log, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var record in log.ReadAsync(sequence - 1, cancellationToken))
            {
                return record.Sequence == sequence ? record : null;
            }
        }
        catch (Exception exception) when (exception is CountersignStoreException or FormatException)
        {
            // A tampered row may not even parse; the verdict above stands on its own.
        }

        return null;
    }
}
