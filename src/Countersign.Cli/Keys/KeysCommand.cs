using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Keys;

/// <summary><c>countersign keys</c>: manage the store's generated keys.</summary>
internal static class KeysCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("keys", "Manage the keys a SQLite store generated for itself (<database>.keys).")
        {
            KeysRotateCommand.Create(host),
        };
        return command.WithExamples("countersign keys rotate --db countersign.db");
    }
}
