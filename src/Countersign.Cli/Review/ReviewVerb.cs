using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Review;

/// <summary>What <c>approve</c> and <c>deny</c> share: check the input, record the decision, report it.</summary>
internal static class ReviewVerb
{
    public static async Task<int> RunAsync(CommandContext context, string? id, bool approve, string? comment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 200 || Text.ReviewerText.ContainsUnsafeCharacter(id))
        {
            throw CliException.Usage("give the approval request's id, as 'countersign pending' lists it.");
        }

        var reviewer = ReviewerOptions.Reviewer(context);
        await using var store = await CliStore.OpenAsync(context, readOnly: false, cancellationToken);
        var result = await ReviewDecision.RecordAsync(store, context.Host.TimeProvider, id.Trim(), approve, reviewer, comment, ReviewerOptions.RolesOf(context), cancellationToken);
        var message = ReviewDecision.Describe(result, id.Trim());
        var exitCode = ReviewDecision.ExitCodeOf(result);
        if (context.Json)
        {
            CliJson.Write(context, new { id, result = result.Kind, status = result.Request?.Status, reviewer, message });
        }
        else if (exitCode == ExitCodes.Success)
        {
            context.Console.MarkupLine((approve ? "[green]✓[/] " : "[red]✗[/] ") + TerminalText.Markup(message, 500));
        }
        else
        {
            context.Host.Error.WriteLine("countersign: " + TerminalText.Plain(message, 500));
        }

        return exitCode;
    }
}
