using System.Text;
using Countersign.Audit;
using Countersign.Cli.Audit;
using Countersign.Cli.CommandLine;
using Countersign.Cli.Policies;
using Countersign.Cli.Terminal;
using Countersign.Policy;

namespace Countersign.Cli.Tests.Commands;

public sealed class CommandLogicTests
{
    private const string Policy = """
        name: p
        default_effect: require_approval
        rules:
          - { name: visa, tool: refund, match_args: { card.number: "^4" }, effect: deny, reason: no }
          - { name: small, tool: refund, effect: allow }
          - { name: reads, tool: "read_*", effect: allow }
        """;

    [Fact]
    public void Replay_reports_a_condition_on_a_redacted_field_as_unknowable_never_guessed()
    {
        var replayer = new PolicyReplayer(PolicyLoader.LoadYaml(Policy), 10);

        replayer.Add(Record(1, "a1", "refund", """{"amount":5,"card":{"number":"***"}}""", "allow"));

        Assert.Equal(1, replayer.Count(ReplayChangeKind.Unknowable));
        Assert.Contains("card.number", Assert.Single(replayer.Examples).Detail);
    }

    [Fact]
    public void Replay_evaluates_a_field_that_was_not_redacted()
    {
        var replayer = new PolicyReplayer(PolicyLoader.LoadYaml(Policy), 10);

        replayer.Add(Record(1, "a1", "refund", """{"amount":5,"card":{"number":"4111"}}""", "allow"));
        replayer.Add(Record(2, "a2", "read_x", "{}", "require_approval"));
        replayer.Add(Record(3, "a3", "write_x", "{}", "require_approval"));

        Assert.Equal(1, replayer.Count(ReplayChangeKind.NewlyDenied));
        Assert.Equal(1, replayer.Count(ReplayChangeKind.NewlyAllowed));
        Assert.Equal(1, replayer.Count(ReplayChangeKind.Unchanged));
        Assert.Equal(0, replayer.Count(ReplayChangeKind.Unknowable));
    }

    [Fact]
    public void Replay_counts_each_action_once_from_its_first_decision_entry()
    {
        var replayer = new PolicyReplayer(PolicyLoader.LoadYaml(Policy), 10);

        replayer.Add(Record(1, "a1", "read_x", "{}", "allow"));
        replayer.Add(Record(2, "a1", "read_x", "{}", "deny", AuditEventKind.Outcome));

        Assert.Equal(1, replayer.Replayed);
        Assert.Equal(1, replayer.Count(ReplayChangeKind.Unchanged));
    }

    [Fact]
    public void Csv_cells_a_spreadsheet_would_run_as_formulas_are_defused_and_quotes_escaped()
    {
        var line = new StringBuilder();

        AuditCsvWriter.WriteRow(line, Record(7, "a1", "=HYPERLINK(\"x\")", "{}", "allow"));

        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",", line.ToString());
        Assert.StartsWith("7,", line.ToString());
    }

    [Fact]
    public void Terminal_text_escapes_control_and_direction_characters()
    {
        var shown = TerminalText.Plain("ok\u001b[2J\u202Egnp.exe\nnext");

        Assert.DoesNotContain('\u001b', shown);
        Assert.DoesNotContain('\u202E', shown);
        Assert.DoesNotContain('\n', shown);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"arguments\":{}}")]
    [InlineData("{\"tool\":\"x\",\"arguments\":[1]}")]
    [InlineData("not json")]
    public async Task Policy_test_rejects_a_malformed_action_with_exit_2_and_one_line(string action)
    {
        var folder = Directory.CreateTempSubdirectory("countersign-cli-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "p.yaml"), Policy);

        var (exitCode, output, error) = await RunAsync(folder, "policy", "test", "p.yaml", "--action", action);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_store_is_chosen_by_db_then_COUNTERSIGN_DB_then_the_default()
    {
        var folder = Directory.CreateTempSubdirectory("countersign-cli-").FullName;

        var fromEnvironment = await RunAsync(folder, new Dictionary<string, string> { ["COUNTERSIGN_DB"] = "env.db" }, "audit", "verify");
        var fromOption = await RunAsync(folder, new Dictionary<string, string> { ["COUNTERSIGN_DB"] = "env.db" }, "audit", "verify", "--db", "option.db");
        var byDefault = await RunAsync(folder, new Dictionary<string, string>(), "audit", "verify");

        Assert.Contains(Path.Combine(folder, "env.db"), fromEnvironment.Error);
        Assert.Contains(Path.Combine(folder, "option.db"), fromOption.Error);
        Assert.Contains(Path.Combine(folder, "countersign.db"), byDefault.Error);
        Assert.All(new[] { fromEnvironment, fromOption, byDefault }, run => Assert.Equal(4, run.ExitCode));
    }

    [Fact]
    public async Task Review_without_a_terminal_says_which_commands_to_script_with_exit_2()
    {
        var (exitCode, _, error) = await RunAsync(Directory.CreateTempSubdirectory("countersign-cli-").FullName, "review");

        Assert.Equal(2, exitCode);
        Assert.Contains("countersign pending", error);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string folder, params string[] args) =>
        RunAsync(folder, new Dictionary<string, string>(), args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string folder, Dictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost
        {
            Out = output,
            Error = error,
            In = TextReader.Null,
            WorkingDirectory = folder,
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
        };
        var exitCode = await CountersignCli.RunAsync(args, host);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static AuditRecord Record(long sequence, string actionId, string tool, string arguments, string verdict, AuditEventKind kind = AuditEventKind.Authorized) =>
        new(sequence, new AuditEntry { Timestamp = DateTimeOffset.UnixEpoch, Kind = kind, ActionId = actionId, ToolName = tool, ArgumentsJson = arguments, Verdict = verdict }, "k", "p", "m");
}
