using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Review;

/// <summary><c>countersign deny ID --comment TEXT</c>: deny one request; the agent receives the comment.</summary>
internal static class DenyCommand
{
    private static readonly Argument<string> Id = new("ID") { Description = "The approval request's id (see 'countersign pending')." };

    private static readonly Option<string> Comment = new("--comment", "-m")
    {
        Description = "Why: the agent receives it, and the audit log keeps it verbatim.",
        HelpName = "TEXT",
        Required = true,
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("deny", "Deny a pending request with a comment for the agent. Exit 0 when recorded, 1 when refused, 3 when unknown.")
        {
            Id,
            Comment,
            ReviewerOptions.As,
            ReviewerOptions.Roles,
        };
        command.WithExamples("countersign deny apr_01a24... --as alice --comment \"use close_account instead\"");
        command.SetHandler(host, (context, cancellationToken) => ReviewVerb.RunAsync(context, context.GetValue(Id), approve: false, ReviewerOptions.Comment(context.GetValue(Comment), required: true), cancellationToken));
        return command;
    }
}
