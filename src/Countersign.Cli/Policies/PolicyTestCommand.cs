using System.CommandLine;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Countersign.Policy;
using Countersign.Redaction;
using Spectre.Console;

namespace Countersign.Cli.Policies;

/// <summary><c>countersign policy test FILE --action JSON</c>: what the policy would decide for one action, and why.</summary>
internal static class PolicyTestCommand
{
    private static readonly Argument<string> File = new("FILE") { Description = "The policy file (.yaml, .yml or .json)." };

    private static readonly Option<string> Action = new("--action")
    {
        Description = "The action as JSON: {\"tool\": ..., \"arguments\": {...}, \"agent\": ...}, or @FILE to read it from a file.",
        HelpName = "JSON",
        Required = true,
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("test", "Show what a policy decides for one action, and why.") { File, Action };
        command.WithExamples(
            "countersign policy test policy.yaml --action '{\"tool\":\"refund\",\"arguments\":{\"amount\":500}}'",
            "countersign policy test policy.yaml --action @action.json --json");
        command.SetHandler(host, Run);
        return command;
    }

    private static Task<int> Run(CommandContext context, CancellationToken cancellationToken)
    {
        var policy = PolicyFile.Load(PolicyFile.Resolve(context, context.GetValue(File)));
        var request = ActionJson.Parse(context, context.GetValue(Action));
        var decision = new PolicyEvaluator(policy).Evaluate(request);
        var redacted = JsonRedactor.Redact(request.Arguments, decision.RedactPaths);
        if (context.Json)
        {
            CliJson.Write(context, new
            {
                effect = decision.Effect,
                matched_rules = decision.MatchedRules,
                reasons = decision.Reasons,
                risk = decision.Risk,
                timeout_seconds = decision.Timeout?.TotalSeconds,
                quorum = decision.Quorum,
                reviewer_roles = decision.ReviewerRoles,
                redact_paths = decision.RedactPaths,
                stored_arguments = System.Text.Json.JsonDocument.Parse(redacted).RootElement,
            });
            return Task.FromResult(ExitCodes.Success);
        }

        var colour = decision.Effect switch
        {
            PolicyEffect.Allow => "green",
            PolicyEffect.Deny => "red",
            _ => "yellow",
        };
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[grey]Verdict[/]"), new Markup($"[bold {colour}]{decision.Effect}[/]"));
        grid.AddRow(new Markup("[grey]Rules[/]"), TerminalText.Cell(decision.MatchedRules.Count == 0 ? "(none: the policy's default)" : string.Join(", ", decision.MatchedRules), 500));
        foreach (var reason in decision.Reasons)
        {
            grid.AddRow(new Markup("[grey]Why[/]"), TerminalText.Cell(reason, 500));
        }

        if (decision.Effect == PolicyEffect.RequireApproval)
        {
            grid.AddRow(new Markup("[grey]Risk[/]"), new Markup(ApprovalView.RiskMarkup(decision.Risk)));
            grid.AddRow(new Markup("[grey]Timeout[/]"), new Spectre.Console.Text(decision.Timeout?.ToString() ?? "the gate's default"));
            grid.AddRow(new Markup("[grey]Quorum[/]"), new Spectre.Console.Text(decision.Quorum.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            grid.AddRow(new Markup("[grey]Reviewers[/]"), TerminalText.Cell(decision.ReviewerRoles.Count == 0 ? "anyone but the requester" : string.Join(", ", decision.ReviewerRoles)));
        }

        grid.AddRow(new Markup("[grey]Stored as[/]"), TerminalText.Cell(redacted, 1000));
        context.Console.Write(grid);
        return Task.FromResult(ExitCodes.Success);
    }
}
