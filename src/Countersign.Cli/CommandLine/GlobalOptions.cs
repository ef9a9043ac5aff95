using System.CommandLine;

namespace Countersign.Cli.CommandLine;

/// <summary>The options every command takes: which store, JSON output, no colour.</summary>
internal static class GlobalOptions
{
    /// <summary>The environment variable naming the SQLite store when <c>--db</c> is not given.</summary>
    public const string DatabaseVariable = "COUNTERSIGN_DB";

    /// <summary>The store used when neither <c>--db</c> nor <see cref="DatabaseVariable"/> names one.</summary>
    public const string DefaultDatabase = "countersign.db";

    public static Option<string?> Database { get; } = new("--db")
    {
        Description = $"The SQLite store (default: ${DatabaseVariable}, else ./{DefaultDatabase}).",
        HelpName = "FILE",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Write machine-readable JSON to standard output instead of tables.",
        Recursive = true,
    };

    public static Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "Never use colour (also when $NO_COLOR is set, or output is not a terminal).",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Database);
        root.Options.Add(Json);
        root.Options.Add(NoColor);
    }
}
