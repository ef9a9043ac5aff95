using System.Diagnostics;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Sqlite;

namespace Countersign.Cli.Tests.EndToEnd;

[Collection(InstalledToolGroup.Name)]
public sealed class ReviewToolTests(InstalledTool tool)
{
    [Fact]
    public async Task Pending_lists_a_waiting_request_and_approve_grants_it()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "store.db");
        var id = await PendingRequests.CreateAsync(database);

        var pending = await tool.RunAsync(folder, "pending", "--db", database, "--json");
        Assert.True(pending.ExitCode == 0, pending.ToString());
        using (var json = JsonDocument.Parse(pending.Output))
        {
            Assert.Equal(id, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("id").GetString());
        }

        var approve = await tool.RunAsync(folder, "approve", id, "--as", "alice", "--comment", "fine", "--db", database);

        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("granted", approve.Output);
        Assert.Equal(ApprovalStatus.Granted, (await ReadAsync(database, id)).Status);
    }

    [Fact]
    public async Task Deny_records_the_comment_and_a_second_decision_is_refused()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "store.db");
        var id = await PendingRequests.CreateAsync(database);

        var deny = await tool.RunAsync(folder, "deny", id, "--as", "alice", "--comment", "use the template", "--db", database);
        var again = await tool.RunAsync(folder, "approve", id, "--as", "bob", "--db", database);

        Assert.True(deny.ExitCode == 0, deny.ToString());
        var approval = await ReadAsync(database, id);
        Assert.Equal(ApprovalStatus.Denied, approval.Status);
        Assert.Equal("use the template", Assert.Single(approval.Decisions).Comment);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already decided", again.Error);
    }

    [Fact]
    public async Task The_agent_cannot_approve_its_own_request()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "store.db");
        var id = await PendingRequests.CreateAsync(database);

        var run = await tool.RunAsync(folder, "approve", id, "--as", "mail-agent", "--db", database);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no self-approval", run.Error);
    }

    [Fact]
    public async Task Approve_of_an_unknown_id_exits_3_and_deny_without_a_comment_exits_2()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "store.db");
        await PendingRequests.CreateAsync(database);

        var unknown = await tool.RunAsync(folder, "approve", "apr_nope", "--as", "alice", "--db", database);
        var noComment = await tool.RunAsync(folder, "deny", "apr_nope", "--as", "alice", "--db", database);

        Assert.Equal(3, unknown.ExitCode);
        Assert.Equal(2, noComment.ExitCode);
    }

    [Fact]
    public async Task Review_in_a_terminal_approves_the_selected_request_from_the_keyboard()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "store.db");
        var id = await PendingRequests.CreateAsync(database, tool: "send_invoice");
        var session = "cs-review-" + Guid.NewGuid().ToString("N")[..8];
        var command = $"'{tool.Executable}' review --db '{database}' --as alice";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "160", "-y", "60", "-e", "NO_COLOR=1", command);
        try
        {
            await WaitForScreenAsync(session, "send_invoice");
            await TmuxAsync("send-keys", "-t", session, "a");
            await WaitForScreenAsync(session, "Approve: comment");
            await TmuxAsync("send-keys", "-t", session, "-l", "looks right");
            await TmuxAsync("send-keys", "-t", session, "Enter");

            await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = database });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var decided = await store.Approvals.WaitForResolutionAsync(id, timeout.Token);
            Assert.Equal(ApprovalStatus.Granted, decided.Status);
            Assert.Equal("alice", Assert.Single(decided.Decisions).Reviewer);
            Assert.Equal("looks right", decided.Decisions[0].Comment);

            await WaitForScreenAsync(session, "Nothing is waiting for a reviewer");
            await TmuxAsync("send-keys", "-t", session, "q");
        }
        finally
        {
            await TmuxAsync("kill-session", "-t", session);
        }
    }

    private static async Task<ApprovalRequest> ReadAsync(string database, string id)
    {
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = database, ReadOnly = true });
        return Assert.IsType<ApprovalRequest>(await store.Approvals.GetAsync(id));
    }

    /// <summary>Reads the pane until it shows <paramref name="text"/>; a terminal has no event to wait on, so it polls, bounded.</summary>
    private static async Task WaitForScreenAsync(string session, string text)
    {
        var deadline = Stopwatch.StartNew();
        var screen = string.Empty;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            screen = await TmuxAsync("capture-pane", "-p", "-t", session);
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.Fail($"the review screen never showed '{text}'. It shows:\n{screen}");
    }

    private static async Task<string> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start; install it (apt-get install tmux).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 || arguments[0] == "kill-session", $"tmux {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
