using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Countersign.Cli.Tests.EndToEnd;

[Collection(InstalledToolGroup.Name)]
public sealed class StoreToolTests(InstalledTool tool)
{
    [Fact]
    public async Task Migrate_creates_the_store_and_a_second_run_changes_nothing()
    {
        var folder = tool.NewFolder();

        var first = await tool.RunAsync(folder, "migrate", "--db", "store.db", "--json");
        var second = await tool.RunAsync(folder, "migrate", "--db", "store.db", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        using var created = JsonDocument.Parse(first.Output);
        using var again = JsonDocument.Parse(second.Output);
        Assert.True(created.RootElement.GetProperty("created").GetBoolean());
        Assert.False(again.RootElement.GetProperty("created").GetBoolean());
        Assert.False(again.RootElement.GetProperty("changed").GetBoolean());
        Assert.True(again.RootElement.GetProperty("components").GetProperty("store").GetProperty("after").GetInt32() >= 1);
    }

    [Fact]
    public async Task Migrate_refuses_a_database_written_by_a_newer_countersign()
    {
        var folder = tool.NewFolder();
        Assert.Equal(0, (await tool.RunAsync(folder, "migrate", "--db", "store.db")).ExitCode);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "store.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_versions (component, version, description, applied_at) VALUES ('store', 999, 'from the future', '2099-01-01')";
            command.ExecuteNonQuery();
        }

        var run = await tool.RunAsync(folder, "migrate", "--db", "store.db");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("newer than", run.Error);
        Assert.Contains("Upgrade Countersign", run.Error);
    }

    [Fact]
    public async Task Keys_rotate_keeps_the_chain_verifiable_across_the_rotation()
    {
        var folder = tool.NewFolder();
        Assert.Equal(0, (await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", "store.db")).ExitCode);

        var rotate = await tool.RunAsync(folder, "keys", "rotate", "--db", "store.db", "--json");
        Assert.Equal(0, (await tool.RunAsync(folder, "demo", "--non-interactive", "--json", "--db", "store.db")).ExitCode);
        var verify = await tool.RunAsync(folder, "audit", "verify", "--db", "store.db", "--json");

        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        using var rotated = JsonDocument.Parse(rotate.Output);
        var keyId = rotated.RootElement.GetProperty("key_id").GetString();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var export = await tool.RunAsync(folder, "audit", "export", "--db", "store.db");
        var keyIds = export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("key_id").GetString()).Distinct().ToList();
        Assert.Equal(2, keyIds.Count);
        Assert.Equal(keyId, keyIds[^1]);
    }
}
