using System.CommandLine;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Audit;

/// <summary><c>countersign audit</c>: verify, follow and export the hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("audit", "Verify, follow and export the hash-chained audit log.")
        {
            AuditVerifyCommand.Create(host),
            AuditTailCommand.Create(host),
            AuditExportCommand.Create(host),
        };
        return command.WithExamples(
            "countersign audit verify --db countersign.db",
            "countersign audit tail -f",
            "countersign audit export --format csv --output audit.csv");
    }
}
