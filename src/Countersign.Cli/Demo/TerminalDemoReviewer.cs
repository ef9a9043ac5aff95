using Countersign.Approvals;
using Countersign.Cli.Terminal;
using Spectre.Console;

namespace Countersign.Cli.Demo;

/// <summary>Asks the person at the terminal, suggesting the script's answer.</summary>
internal sealed class TerminalDemoReviewer(IAnsiConsole console, string name) : IDemoReviewer
{
    private const string Approve = "Approve";
    private const string Deny = "Deny";

    public string Name { get; } = name;

    public DemoAnswer Decide(ApprovalRequest approval, DemoStep step)
    {
        if (step.ScriptedAnswer.Kind == DemoAnswerKind.NoAnswer)
        {
            console.MarkupLine("[grey]You are away from your desk for this one: nobody answers.[/]");
            return DemoAnswer.NoAnswer;
        }

        var suggested = step.ScriptedAnswer.Kind == DemoAnswerKind.Approve ? Approve : Deny;
        var choice = console.Prompt(new SelectionPrompt<string>()
            .Title($"Your decision, as [bold]{TerminalText.Markup(Name)}[/] (suggested: {suggested}):")
            .AddChoices(suggested, suggested == Approve ? Deny : Approve));
        var comment = console.Prompt(new TextPrompt<string>(choice == Deny ? "Comment for the agent:" : "Comment (optional):")
            .DefaultValue(step.ScriptedAnswer.Comment ?? string.Empty)
            .AllowEmpty());
        return new DemoAnswer(choice == Approve ? DemoAnswerKind.Approve : DemoAnswerKind.Deny, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
    }
}
