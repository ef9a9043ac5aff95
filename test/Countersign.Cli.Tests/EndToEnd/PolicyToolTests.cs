using System.Text.Json;

namespace Countersign.Cli.Tests.EndToEnd;

[Collection(InstalledToolGroup.Name)]
public sealed class PolicyToolTests(InstalledTool tool)
{
    private const string StricterPolicy = """
        name: stricter
        default_effect: require_approval
        rules:
          - name: reads
            tool: "read_*"
            effect: require_approval
          - name: pii
            tool: lookup_customer
            match_args: { ssn: "^000" }
            effect: deny
          - name: refunds
            tool: refund
            amount_over: { arg: amount, threshold: 10 }
            effect: deny
        """;

    [Fact]
    public async Task Lint_of_a_good_policy_exits_0()
    {
        var folder = tool.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "good.yaml"), StricterPolicy);

        var run = await tool.RunAsync(folder, "policy", "lint", "good.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("OK", run.Output);
        Assert.Contains("3 rules", run.Output);
    }

    [Fact]
    public async Task Lint_of_a_malformed_policy_names_file_line_rule_and_field_and_exits_1()
    {
        var folder = tool.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "bad.yaml"), """
            name: bad
            rules:
              - name: refunds
                tool: refund
                effect: maybe
            """);

        var run = await tool.RunAsync(folder, "policy", "lint", "bad.yaml");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("bad.yaml(5): rule 'refunds' field 'effect'", run.Output);
        Assert.DoesNotContain("   at ", run.Output + run.Error);
    }

    [Fact]
    public async Task Lint_json_lists_the_errors()
    {
        var folder = tool.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "bad.json"), """{ "name": "bad", "rules": [ { "tool": "refund", "effect": "allow", "quorum": "two" } ] }""");

        var run = await tool.RunAsync(folder, "policy", "lint", "bad.json", "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("quorum", json.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Lint_of_a_missing_file_exits_3()
    {
        var run = await tool.RunAsync(tool.NewFolder(), "policy", "lint", "nowhere.yaml");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("does not exist", run.Error);
    }

    [Fact]
    public async Task Replay_reports_what_a_stricter_policy_would_change()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "demo.db");
        Assert.Equal(0, (await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", database)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(folder, "stricter.yaml"), StricterPolicy);

        var run = await tool.RunAsync(folder, "policy", "replay", "stricter.yaml", "--db", database, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(7, root.GetProperty("replayed").GetInt64());
        Assert.Equal(1, root.GetProperty("newly_held").GetInt64());
        Assert.Equal(2, root.GetProperty("newly_denied").GetInt64());
        Assert.Equal(1, root.GetProperty("unknowable").GetInt64());
        var unknowable = root.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "unknowable");
        Assert.Equal("lookup_customer", unknowable.GetProperty("tool").GetString());
        Assert.Contains("'ssn'", unknowable.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Replay_with_fail_on_change_exits_1_when_a_verdict_changes()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "demo.db");
        Assert.Equal(0, (await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", database)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(folder, "stricter.yaml"), StricterPolicy);

        var run = await tool.RunAsync(folder, "policy", "replay", "stricter.yaml", "--db", database, "--fail-on-change");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("newly denied", run.Output);
    }
}
