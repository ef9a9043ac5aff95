using System.CommandLine;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Terminal;
using Countersign.Policy;
using Spectre.Console;

namespace Countersign.Cli.Policies;

/// <summary><c>countersign policy lint FILE</c>: every problem with file, line, rule and field; exit 1 when there is one.</summary>
internal static class PolicyLintCommand
{
    private static readonly Argument<string> File = new("FILE") { Description = "The policy file (.yaml, .yml or .json)." };

    public static Command Create(CliHost host)
    {
        var command = new Command("lint", "Check a policy file. Prints every problem as file(line): rule, field, problem; exit 1 when there is any.") { File };
        command.WithExamples(
            "countersign policy lint policy.yaml",
            "countersign policy lint policy.json --json   # {\"valid\": false, \"errors\": [{\"line\": 12, ...}]}");
        command.SetHandler(host, Run);
        return command;
    }

    private static Task<int> Run(CommandContext context, CancellationToken cancellationToken)
    {
        var path = PolicyFile.Resolve(context, context.GetValue(File));
        ActionPolicy policy;
        try
        {
            policy = PolicyFile.Load(path);
        }
        catch (PolicyLoadException invalid)
        {
            Report(context, invalid.Errors);
            return Task.FromResult(ExitCodes.CheckFailed);
        }

        if (context.Json)
        {
            CliJson.Write(context, new { valid = true, file = path, policy = policy.Name, rules = policy.Rules.Count, default_effect = policy.DefaultEffect });
        }
        else
        {
            context.Console.MarkupLine($"[green]OK[/] {Markup.Escape(path)}: policy '{TerminalText.Markup(policy.Name)}', {policy.Rules.Count} rules, default {policy.DefaultEffect}.");
        }

        return Task.FromResult(ExitCodes.Success);
    }

    private static void Report(CommandContext context, IReadOnlyList<PolicyLoadError> errors)
    {
        if (context.Json)
        {
            CliJson.Write(context, new
            {
                valid = false,
                errors = errors.Select(e => new { file = e.SourceName, line = e.Line, column = e.Column, rule = e.Rule, field = e.Field, problem = e.Problem }),
            });
            return;
        }

        foreach (var error in errors)
        {
            // The file's own text is quoted in problems, so it is neutralised like any other untrusted text.
            context.WriteMarkupLine("[red]error[/] " + TerminalText.Markup(error.ToString(), 1000));
        }

        context.WriteMarkupLine($"[red]{errors.Count} problem(s)[/]; the policy was not loaded.");
    }
}
