using System.CommandLine;
using Countersign.Cli.CommandLine;
using Countersign.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;
using Spectre.Console;

namespace Countersign.Cli.Schema;

/// <summary>
/// <c>countersign migrate</c>: creates the store or brings its schema up to date; running it again changes nothing,
/// and a file written by a newer Countersign is refused, untouched.
/// </summary>
internal static class MigrateCommand
{
    /// <summary>The environment variable naming the PostgreSQL store when <c>--postgres</c> is not given.</summary>
    private const string PostgresVariable = "COUNTERSIGN_POSTGRES";

    private static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = $"Migrate a PostgreSQL store instead, by connection string (default: ${PostgresVariable} when --db is not given).",
        HelpName = "CONN",
    };

    private static readonly Option<string?> ApplicationRole = new("--app-role")
    {
        Description = "PostgreSQL only: the role the application connects as; it is granted what the store needs, and no UPDATE or DELETE on audit rows.",
        HelpName = "ROLE",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("migrate", "Create the store, or apply pending schema migrations. Idempotent; a database newer than this tool is refused (exit 4).");
        command.Options.Add(Postgres);
        command.Options.Add(ApplicationRole);
        command.WithExamples(
            "countersign migrate --db /var/lib/countersign/countersign.db",
            "countersign migrate --postgres \"Host=db;Username=owner;Password=...;Database=countersign\" --app-role countersign_app",
            "countersign migrate --json   # {\"components\": {\"store\": {\"before\": 1, \"after\": 1}}, ...}");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var postgres = context.GetValue(Postgres);
        if (string.IsNullOrWhiteSpace(postgres) && context.GetValue(GlobalOptions.Database) is null)
        {
            postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        }

        return string.IsNullOrWhiteSpace(postgres)
            ? await MigrateSqliteAsync(context, cancellationToken).ConfigureAwait(false)
            : await MigratePostgresAsync(context, postgres, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> MigratePostgresAsync(CommandContext context, string connectionString, CancellationToken cancellationToken)
    {
        PostgresMigrationResult result;
        try
        {
            result = await PostgresStoreMigrator.MigrateAsync(
                connectionString,
                new PostgresMigrationOptions { ApplicationRole = context.GetValue(ApplicationRole) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CountersignStoreException exception)
        {
            throw CliException.Store(exception.Message);
        }
        catch (Exception exception) when (exception is NpgsqlException or ArgumentException)
        {
            // The connection string may hold a password: the message names the problem, never the string.
            throw CliException.Store($"The PostgreSQL store cannot be migrated: {exception.Message}");
        }

        if (context.Json)
        {
            CliJson.Write(context, new { postgres = true, changed = result.Applied, before = result.PreviousVersion, after = result.CurrentVersion });
            return ExitCodes.Success;
        }

        context.Console.MarkupLine(result.Applied
            ? $"Migrated the PostgreSQL store from version {result.PreviousVersion} to {result.CurrentVersion}."
            : $"[green]Up to date[/]: the PostgreSQL store is at version {result.CurrentVersion}.");
        return ExitCodes.Success;
    }

    private static async Task<int> MigrateSqliteAsync(CommandContext context, CancellationToken cancellationToken)
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
