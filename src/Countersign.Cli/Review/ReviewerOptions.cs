using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Review;

/// <summary>Who is reviewing: <c>--as</c> and <c>--role</c>, else <c>$COUNTERSIGN_REVIEWER</c>, else the user name.</summary>
internal static class ReviewerOptions
{
    public const string ReviewerVariable = "COUNTERSIGN_REVIEWER";

    /// <summary>The longest comment or identity accepted; the audit log keeps comments verbatim.</summary>
    public const int MaxCommentLength = 2000;

    public static Option<string?> As { get; } = new("--as")
    {
        Description = $"Your reviewer identity (default: ${ReviewerVariable}, else your user name).",
        HelpName = "REVIEWER",
    };

    public static Option<string[]> Roles { get; } = new("--role")
    {
        Description = "A reviewer role you hold (repeat for several), for requests that name roles.",
        HelpName = "ROLE",
        AllowMultipleArgumentsPerToken = false,
    };

    public static string Reviewer(CommandContext context)
    {
        var name = context.GetValue(As);
        if (string.IsNullOrWhiteSpace(name))
        {
            name = context.Host.GetEnvironmentVariable(ReviewerVariable);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            name = Environment.UserName;
        }

        name = name.Trim();
        if (name.Length is 0 or > 200 || Text.ReviewerText.ContainsUnsafeCharacter(name))
        {
            throw CliException.Usage("the reviewer identity must be 1 to 200 printable characters.");
        }

        return name;
    }

    public static IReadOnlyList<string> RolesOf(CommandContext context) =>
        [.. (context.GetValue(Roles) ?? []).Select(r => r.Trim()).Where(r => r.Length > 0)];

    public static string? Comment(string? comment, bool required)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return required ? throw CliException.Usage("a denial needs --comment TEXT: the agent is told why.") : null;
        }

        return comment.Length > MaxCommentLength
            ? throw CliException.Usage($"the comment is {comment.Length} characters; the limit is {MaxCommentLength}.")
            : comment.Trim();
    }
}
