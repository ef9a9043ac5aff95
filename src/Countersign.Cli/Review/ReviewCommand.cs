using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Review;

/// <summary><c>countersign review</c>: the interactive terminal reviewer.</summary>
internal static class ReviewCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("review", "Review pending requests in the terminal: a live list, details, approve or deny with a comment, keyboard driven.")
        {
            ReviewerOptions.As,
            ReviewerOptions.Roles,
        };
        command.WithExamples(
            "countersign review --db countersign.db --as alice",
            "countersign review --as bob --role finance");
        command.SetHandler(host, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Host.Keys is not { } keys || context.Json)
        {
            throw CliException.Usage("review needs an interactive terminal; in scripts use 'countersign pending', 'approve ID' and 'deny ID --comment TEXT'.");
        }

        var reviewer = ReviewerOptions.Reviewer(context);
        var path = CliStore.ResolveDatabasePath(context);
        await using var store = await CliStore.OpenAsync(context, readOnly: false, cancellationToken);
        await new ReviewScreen(context, store, keys, reviewer, ReviewerOptions.RolesOf(context), path).RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
