using System.CommandLine;
using Countersign.Cli.CommandLine;
using Countersign.Keys;
using Countersign.Sqlite;
using Spectre.Console;

namespace Countersign.Cli.Keys;

/// <summary>
/// <c>countersign keys rotate</c>: a fresh audit chain key becomes current; old keys stay, so the chain verifies across
/// the rotation. The payload hash key is rotated only when asked: pending approvals were hashed with the old one.
/// </summary>
internal static class KeysRotateCommand
{
    private static readonly Option<string> Purpose = new Option<string>("--purpose")
    {
        Description = "audit-chain (default) or payload-hash (pending approvals must then be requested again).",
        DefaultValueFactory = _ => "audit-chain",
    }.AcceptOnlyFromAmong("audit-chain", "payload-hash");

    public static Command Create(CliHost host)
    {
        var command = new Command("rotate", "Make a fresh key current in the store's key file, keeping the old ones for verification.") { Purpose };
        command.WithExamples(
            "countersign keys rotate --db countersign.db",
            "countersign keys rotate --purpose payload-hash --db countersign.db");
        command.SetHandler(host, Run);
        return command;
    }

    private static Task<int> Run(CommandContext context, CancellationToken cancellationToken)
    {
        var path = CliStore.ResolveDatabasePath(context);
        var purpose = context.GetValue(Purpose) == "payload-hash" ? KeyPurpose.PayloadHash : KeyPurpose.AuditChain;
        var keyId = SqliteKeyRotation.Rotate(path, purpose);
        if (context.Json)
        {
            CliJson.Write(context, new { database = path, purpose, key_id = keyId });
        }
        else
        {
            context.Console.MarkupLine($"Rotated the {(purpose == KeyPurpose.AuditChain ? "audit chain" : "payload hash")} key of {Markup.Escape(path)}: new entries use [bold]{Markup.Escape(keyId)}[/]; earlier ones still verify. Restart processes that have the store open to pick it up.");
        }

        return Task.FromResult(ExitCodes.Success);
    }
}
