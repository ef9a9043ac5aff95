using Countersign.Sqlite;

namespace Countersign.Cli.CommandLine;

/// <summary>
/// Finds and opens the store a command works on: <c>--db FILE</c>, else <c>$COUNTERSIGN_DB</c>, else
/// <c>./countersign.db</c>. The one place another store (PostgreSQL's <c>--postgres</c>) is added.
/// </summary>
internal static class CliStore
{
    public static string ResolveDatabasePath(CommandContext context)
    {
        var given = context.GetValue(GlobalOptions.Database);
        if (string.IsNullOrWhiteSpace(given))
        {
            given = context.Host.GetEnvironmentVariable(GlobalOptions.DatabaseVariable);
        }

        if (string.IsNullOrWhiteSpace(given))
        {
            given = GlobalOptions.DefaultDatabase;
        }

        try
        {
            return context.Host.ResolvePath(given);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw CliException.Usage($"'{given}' is not a usable file path: {exception.Message}");
        }
    }

    /// <summary>
    /// Opens the store. Read-only opens change nothing; read-write opens migrate the file, and create it only when
    /// <paramref name="create"/> is set (a reviewer approving on a mistyped path must not get a new empty store).
    /// </summary>
    public static async Task<SqliteStore> OpenAsync(CommandContext context, bool readOnly, CancellationToken cancellationToken, bool create = false)
    {
        var path = ResolveDatabasePath(context);
        if (!create && !File.Exists(path))
        {
            throw CliException.Store($"no Countersign store at '{path}' (pass --db FILE or set ${GlobalOptions.DatabaseVariable}).");
        }

        try
        {
            return await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = path, ReadOnly = readOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            throw CliException.Usage(exception.Message);
        }
    }
}
