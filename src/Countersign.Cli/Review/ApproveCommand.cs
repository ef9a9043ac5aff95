using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Review;

/// <summary><c>countersign approve ID</c>: approve one request as a reviewer.</summary>
internal static class ApproveCommand
{
    private static readonly Argument<string> Id = new("ID") { Description = "The approval request's id (see 'countersign pending')." };

    private static readonly Option<string?> Comment = new("--comment", "-m") { Description = "A comment, kept verbatim in the audit log.", HelpName = "TEXT" };

    public static Command Create(CliHost host)
    {
        var command = new Command("approve", "Approve a pending request. Exit 0 when recorded, 1 when refused (self-approval, already decided, ...), 3 when unknown.")
        {
            Id,
            Comment,
            ReviewerOptions.As,
            ReviewerOptions.Roles,
        };
        command.WithExamples(
            "countersign approve apr_01a24... --as alice",
            "countersign approve apr_01a24... --as bob --role finance --comment \"checked the invoice\"");
        command.SetHandler(host, (context, cancellationToken) => ReviewVerb.RunAsync(context, context.GetValue(Id), approve: true, ReviewerOptions.Comment(context.GetValue(Comment), required: false), cancellationToken));
        return command;
    }
}
