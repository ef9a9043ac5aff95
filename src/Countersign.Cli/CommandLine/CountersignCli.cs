using System.CommandLine;

namespace Countersign.Cli.CommandLine;

/// <summary>Builds the <c>countersign</c> command tree and runs one command line.</summary>
internal static class CountersignCli
{
    public static RootCommand BuildRoot(CliHost host)
    {
        var root = new RootCommand("Countersign: a human on the hook before an AI agent or automation does something hard to undo.");
        GlobalOptions.AddTo(root);
        foreach (var create in CliCommandCatalog.Commands)
        {
            root.Subcommands.Add(create(host));
        }

        root.WithExamples(
            "countersign demo                         # the guided demo, on a fresh SQLite file",
            "countersign pending --db countersign.db  # what waits for a reviewer",
            "countersign audit verify                 # check the audit log's hash chain",
            "countersign policy lint policy.yaml      # check a policy file");
        CliHelp.Install(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliHost host)
    {
        var root = BuildRoot(host);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var command = string.Join(' ', CommandPath(parseResult.CommandResult.Command));
            return CliAction.Fail(host, ExitCodes.Usage, $"{parseResult.Errors[0].Message.ReplaceLineEndings(" ")} (see '{command} --help')");
        }

        var configuration = new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    private static Stack<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
        {
            names.Push(current is RootCommand ? "countersign" : current.Name);
        }

        return names;
    }
}
