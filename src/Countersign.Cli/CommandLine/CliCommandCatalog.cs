using System.CommandLine;
using Countersign.Cli.Audit;
using Countersign.Cli.Demo;
using Countersign.Cli.Keys;
using Countersign.Cli.Policies;
using Countersign.Cli.Review;
using Countersign.Cli.Schema;

namespace Countersign.Cli.CommandLine;

/// <summary>
/// Every top-level command, in the order <c>--help</c> lists them. A feature adds its verb here with one line: a
/// static <c>Create(CliHost)</c> returning its <see cref="Command"/> (with its subcommands). The server
/// (<c>serve</c>, <c>users</c>, <c>apps</c>), governance (<c>halt</c>, <c>resume</c>, <c>agents</c>, <c>report</c>) and
/// PostgreSQL (<c>migrate --postgres</c>, through <see cref="CliStore"/>) plug in the same way when they exist.
/// </summary>
internal static class CliCommandCatalog
{
    public static IReadOnlyList<Func<CliHost, Command>> Commands { get; } =
    [
        DemoCommand.Create,
        ReviewCommand.Create,
        PendingCommand.Create,
        ApproveCommand.Create,
        DenyCommand.Create,
        AuditCommand.Create,
        PolicyCommand.Create,
        MigrateCommand.Create,
        KeysCommand.Create,
    ];
}
