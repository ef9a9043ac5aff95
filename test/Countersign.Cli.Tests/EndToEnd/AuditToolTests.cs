using Microsoft.Data.Sqlite;

namespace Countersign.Cli.Tests.EndToEnd;

[Collection(InstalledToolGroup.Name)]
public sealed class AuditToolTests(InstalledTool tool)
{
    [Fact]
    public async Task Verify_on_a_clean_database_exits_0()
    {
        var database = await DemoDatabaseAsync();

        var run = await tool.RunAsync(Path.GetDirectoryName(database)!, "audit", "verify", "--db", database);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Audit log clean", run.Output);
    }

    [Fact]
    public async Task Verify_on_a_tampered_database_exits_1_and_prints_the_first_broken_entry()
    {
        var database = await DemoDatabaseAsync();
        Tamper(database, sequence: 3);

        var run = await tool.RunAsync(Path.GetDirectoryName(database)!, "audit", "verify", "--db", database);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("TAMPERED", run.Output);
        Assert.Contains("first broken entry is #3", run.Output);
        Assert.Contains("Entry as stored: #3", run.Output);
    }

    [Fact]
    public async Task Verify_of_a_missing_store_is_one_line_with_exit_4()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "audit", "verify", "--db", Path.Combine(folder, "missing.db"));

        Assert.Equal(4, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no Countersign store at", run.Error);
        Assert.DoesNotContain(" at Countersign.", run.Error);
    }

    [Fact]
    public async Task The_store_is_found_through_COUNTERSIGN_DB()
    {
        var database = await DemoDatabaseAsync();

        var run = await tool.RunAsync(tool.NewFolder(), new Dictionary<string, string> { ["COUNTERSIGN_DB"] = database }, "audit", "verify", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"valid\": true", run.Output);
    }

    [Fact]
    public async Task Export_as_csv_writes_a_header_and_one_row_per_entry()
    {
        var database = await DemoDatabaseAsync();
        var output = Path.Combine(Path.GetDirectoryName(database)!, "audit.csv");

        var run = await tool.RunAsync(Path.GetDirectoryName(database)!, "audit", "export", "--format", "csv", "--output", output, "--db", database);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = await File.ReadAllLinesAsync(output);
        Assert.StartsWith("sequence,timestamp,kind,", lines[0]);
        Assert.Equal(20, lines.Length);
        Assert.StartsWith("19,", lines[^1]);
    }

    [Fact]
    public async Task Tail_prints_the_last_entries()
    {
        var database = await DemoDatabaseAsync();

        var run = await tool.RunAsync(Path.GetDirectoryName(database)!, "audit", "tail", "-n", "2", "--db", database);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("#18 ", lines[0]);
        Assert.Contains("denial=already_executed", lines[1]);
    }

    private async Task<string> DemoDatabaseAsync()
    {
        var folder = tool.NewFolder();
        var database = Path.Combine(folder, "demo.db");
        var demo = await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", database);
        Assert.True(demo.ExitCode == 0, demo.ToString());
        return database;
    }

    internal static void Tamper(string database, long sequence)
    {
        // What an attacker with write access to the file does: drop the append-only trigger and edit an entry.
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET entry = replace(entry, 'support-agent', 'other-agent') WHERE sequence = $sequence;";
        command.Parameters.AddWithValue("$sequence", sequence);
        command.ExecuteNonQuery();
    }
}
