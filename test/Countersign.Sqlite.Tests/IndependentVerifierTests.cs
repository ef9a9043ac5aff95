using System.Diagnostics;
using System.Text;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Policy;

namespace Countersign.Sqlite.Tests;

/// <summary>
/// The audit export verifies with <c>tools/verify_audit.py</c>, written from docs/audit.md alone with Python's
/// standard library: the spec, the export and the MACs cannot drift apart without this failing.
/// </summary>
public sealed class IndependentVerifierTests : IDisposable
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval().Redact("card.number"))
        .ForTool("refund", r => r.Allow().Redact("card.number"))
        .ForTool("wipe", r => r.Deny("never \"wipe\"\n\t\u0001 😀"))
        .ForTool("*", r => r.Allow())
        .Build();

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_export_of_every_kind_of_entry_verifies_with_the_independent_verifier()
    {
        var export = await WriteExportAsync();

        var (exitCode, output) = await RunVerifierAsync(export, "--key-file", _database.Path + ".keys");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"^OK: \d+ entries verify", output);
        Assert.True(File.ReadAllLines(export).Length >= 8, "the scripted calls should have written at least 8 entries");
    }

    [Fact]
    public async Task An_edited_entry_in_the_export_is_reported_with_its_sequence()
    {
        var export = await WriteExportAsync();
        var lines = File.ReadAllLines(export);
        Assert.Contains("\"ord_7\"", lines[0], StringComparison.Ordinal);
        lines[0] = lines[0].Replace("\"ord_7\"", "\"ord_8\"", StringComparison.Ordinal);
        File.WriteAllLines(export, lines);

        var (exitCode, output) = await RunVerifierAsync(export, "--key-file", _database.Path + ".keys");

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN: entry 1 does not match its MAC", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_line_and_a_cut_tail_are_reported()
    {
        var export = await WriteExportAsync();
        var lines = File.ReadAllLines(export);
        var last = lines[^1];
        File.WriteAllLines(export, lines.Where((_, i) => i != 1));

        var (removed, removedOutput) = await RunVerifierAsync(export, "--key-file", _database.Path + ".keys");

        Assert.Equal(1, removed);
        Assert.Contains("has sequence 3 where 2 was expected", removedOutput, StringComparison.Ordinal);

        File.WriteAllLines(export, lines[..^1]);
        var head = $"{lines.Length}:{last.Split("\"mac\":\"")[1][..64]}";

        var (cut, cutOutput) = await RunVerifierAsync(export, "--key-file", _database.Path + ".keys", "--head", head);

        Assert.Equal(1, cut);
        Assert.Contains("not at the expected head", cutOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_key_does_not_verify()
    {
        var export = await WriteExportAsync();
        var keyId = File.ReadLines(export).First().Split("\"key_id\":\"")[1].Split('"')[0];

        var (exitCode, output) = await RunVerifierAsync(export, "--key", $"{keyId}={Convert.ToBase64String(new byte[32])}");

        Assert.Equal(1, exitCode);
        Assert.Contains("BROKEN: entry 1 does not match its MAC", output, StringComparison.Ordinal);
    }

    private async Task<string> WriteExportAsync()
    {
        await using (var gate = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseSqlite(_database.Path)
            .UseEnvironment(_ => null)
            .Configure(o => o.OnReview = OnReviewBehavior.FailClosed)
            .Build())
        {
            // Allowed, with a redacted field, numbers of every form and text that needs escaping.
            await gate.ExecuteAsync(Call("refund", new { order_id = "ord_7", amount = 25.5m, big = 9007199254740992L, small = 1e-7, card = new { number = "4111111111111111" } }), _ => new ValueTask<object>(new { status = "refunded", note = "é \u2028 <b>\"ok\"</b>\u0007" }));

            // Needs approval: held, then approved by a reviewer and run; a string result.
            var held = await Assert.ThrowsAsync<ApprovalPendingException>(() => gate.ExecuteAsync(Call("refund", new { order_id = "ord_9", amount = 4000 }, "k-9"), _ => new ValueTask<string>("x")));
            await gate.Reviews.ApproveAsync(held.ApprovalId, "alice", "ok \"fine\"\r\n", "test");
            await gate.ExecuteAsync(Call("refund", new { order_id = "ord_9", amount = 4000 }, "k-9"), _ => new ValueTask<string>("Refunded 4000 \ud83d\ude00"));

            // Denied by policy, with a reason full of characters to escape.
            await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(Call("wipe", new { table = "users\u0000" }), _ => new ValueTask<int>(1)));

            // A call that throws.
            await Assert.ThrowsAsync<InvalidOperationException>(() => gate.ExecuteAsync<int>(Call("lookup", new { id = "a\\b" }), _ => throw new InvalidOperationException("boom\t\"x\"")));
        }

        await using var store = SqliteStore.Open(_database.Options());
        var path = Path.Combine(_database.Directory, "audit.jsonl");
        await using (var output = File.Create(path))
        {
            await AuditJsonlExporter.ExportAsync(store.AuditLog, output);
        }

        Assert.True((await store.AuditLog.VerifyAsync()).IsValid);
        return path;
    }

    private static ActionRequest Call(string tool, object arguments, string? idempotencyKey = null) => new()
    {
        ToolName = tool,
        Arguments = ActionArguments.From(arguments),
        RequestedBy = "refund-bot",
        AgentId = "agent-\u202e1",
        IdempotencyKey = idempotencyKey,
    };

    private static async Task<(int ExitCode, string Output)> RunVerifierAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tools", "verify_audit.py"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Countersign.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Countersign.slnx) was not found above the test's folder.");
    }
}
