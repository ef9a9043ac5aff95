using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Countersign.Cli.CommandLine;

/// <summary>Adds an "Examples" and an "Exit codes" section to every command's <c>--help</c>.</summary>
internal static class CliHelp
{
    private static readonly ConditionalWeakTable<Command, string[]> ExamplesByCommand = [];

    /// <summary>Records the examples shown under the command's help.</summary>
    public static T WithExamples<T>(this T command, params string[] examples)
        where T : Command
    {
        ExamplesByCommand.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>Makes the root's help option, which every subcommand shares, print the extra sections.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: SynchronousCommandLineAction standard } help)
            {
                help.Action = new HelpWithExamplesAction(standard);
            }
        }
    }

    private sealed class HelpWithExamplesAction(SynchronousCommandLineAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (ExamplesByCommand.TryGetValue(parseResult.CommandResult.Command, out var examples) && examples.Length > 0)
            {
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine("  " + example);
                }

                output.WriteLine();
            }

            output.WriteLine("Exit codes: 0 ok, 1 check failed, 2 bad usage, 3 not found, 4 store unavailable, 130 interrupted.");
            return result;
        }
    }
}
