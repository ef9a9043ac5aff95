using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Policies;

/// <summary><c>countersign policy</c>: check a policy file, try it on one action, or backtest it on the audit log.</summary>
internal static class PolicyCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("policy", "Check a policy file, try it on one action, or replay the audit log against it.")
        {
            PolicyLintCommand.Create(host),
            PolicyTestCommand.Create(host),
            PolicyReplayCommand.Create(host),
        };
        return command.WithExamples(
            "countersign policy lint policy.yaml",
            "countersign policy test policy.yaml --action '{\"tool\":\"refund\",\"arguments\":{\"amount\":500}}'",
            "countersign policy replay policy.yaml --db countersign.db");
    }
}
