using System.CommandLine;
using Countersign.Cli.CommandLine;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Countersign.Cli.Schema;

/// <summary>
/// <c>countersign migrate</c>: creates the store or brings its schema up to date; running it again changes nothing,
/// and a file written by a newer Countersign is refused, untouched.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("migrate", "Create the store, or apply pending schema migrations. Idempotent; a database newer than this tool is refused (exit 4).");
        command.WithExamples(
            "countersign migrate --db /var/lib/countersign/countersign.db",
            "countersign migrate --json   # {\"components\": {\"store\": {\"before\": 1, \"after\": 1}}, ...}");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var path = CliStore.ResolveDatabasePath(context);
        var existed = File.Exists(path);
        IReadOnlyDictionary<string, int> before;
        try
        {
            before = SchemaVersions.Read(path);
        }
        catch (SqliteException exception)
        {
            throw CliException.Store($"'{path}' is not a readable SQLite database: {exception.Message}");
        }

        await using (await CliStore.OpenAsync(context, readOnly: false, cancellationToken, create: true))
        {
            // Opening read-write applies the pending migrations, each component in one transaction.
        }

        var after = SchemaVersions.Read(path);
        var changed = after.Any(component => before.GetValueOrDefault(component.Key) != component.Value);
        if (context.Json)
        {
            CliJson.Write(context, new
            {
                database = path,
                created = !existed,
                changed,
                components = after.ToDictionary(c => c.Key, c => new { before = before.GetValueOrDefault(c.Key), after = c.Value }),
            });
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("component").AddColumn("before").AddColumn("after");
        foreach (var (component, version) in after)
        {
            table.AddRow(Markup.Escape(component), before.TryGetValue(component, out var old) ? old.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        context.Console.MarkupLine(!existed
            ? $"Created [bold]{Markup.Escape(path)}[/]."
            : changed ? $"Migrated [bold]{Markup.Escape(path)}[/]." : $"[green]Up to date[/]: {Markup.Escape(path)} needs no migration.");
        context.Console.Write(table);
        return ExitCodes.Success;
    }
}
