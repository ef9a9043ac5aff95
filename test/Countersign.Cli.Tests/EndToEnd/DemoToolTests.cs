using System.Text.Json;

namespace Countersign.Cli.Tests.EndToEnd;

[Collection(InstalledToolGroup.Name)]
public sealed class DemoToolTests(InstalledTool tool)
{
    [Fact]
    public async Task Demo_non_interactive_exits_0_and_summarises_every_action()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "demo", "--non-interactive", "--db", Path.Combine(folder, "demo.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("What happened to each action", run.Output);
        Assert.Contains("approved by demo-reviewer", run.Output);
        Assert.Contains("denied by demo-reviewer", run.Output);
        Assert.Contains("Closing is not deleting", run.Output);
        Assert.Contains("no answer: timed out", run.Output);
        Assert.Contains("recognised duplicate: not run again", run.Output);
        Assert.Contains("Refunds paid: 1", run.Output);
        Assert.Contains("hash chain verified", run.Output);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Demo_shows_the_stored_copy_of_customer_data_masked()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "demo", "--non-interactive", "--db", Path.Combine(folder, "demo.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var readBack = run.Output.Split('\n').Single(line => line.StartsWith("Read back from audit entry", StringComparison.Ordinal));
        Assert.Contains("\"ssn\":\"***\"", readBack);
        Assert.Contains("\"number\":\"***\"", readBack);
        Assert.DoesNotContain("078-05-1120", readBack);
        Assert.DoesNotContain("078-05-1120", await File.ReadAllTextAsync(Path.Combine(folder, "demo.db")));
    }

    [Fact]
    public async Task Demo_without_a_terminal_plays_the_script_and_says_so()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "demo", "--db", Path.Combine(folder, "demo.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No interactive terminal: playing the scripted reviewer's answers.", run.Output);
        Assert.Contains("What happened to each action", run.Output);
    }

    [Fact]
    public async Task Demo_json_reports_each_action_and_one_refund_paid()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", Path.Combine(folder, "demo.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(1, json.RootElement.GetProperty("refunds_paid").GetInt32());
        var outcomes = json.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["ran", "ran", "ran", "denied", "denied", "ran", "recognised duplicate: not run again"], outcomes);
    }

    [Fact]
    public async Task Help_lists_the_commands_with_examples_and_exit_codes()
    {
        var run = await tool.RunAsync(tool.NewFolder(), "audit", "verify", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Output);
        Assert.Contains("countersign audit verify --db countersign.db", run.Output);
        Assert.Contains("Exit codes:", run.Output);
    }

    [Fact]
    public async Task A_bad_argument_is_one_line_with_exit_2()
    {
        var run = await tool.RunAsync(tool.NewFolder(), "audit", "verify", "--frobnicate");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("countersign: ", line);
        Assert.Contains("--frobnicate", line);
    }
}
