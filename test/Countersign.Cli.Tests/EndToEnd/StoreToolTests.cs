using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

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
    public async Task Migrate_postgres_creates_the_schema_and_a_second_run_changes_nothing()
    {
        // A real PostgreSQL server: CI starts one (.ci/services); elsewhere the local default is used.
        var server = Environment.GetEnvironmentVariable("COUNTERSIGN_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=countersign;Password=countersign;Database=countersign";
        var name = "cs_cli_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var database = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
            var folder = tool.NewFolder();

            var first = await tool.RunAsync(folder, "migrate", "--postgres", database, "--json");
            var second = await tool.RunAsync(folder, new Dictionary<string, string> { ["COUNTERSIGN_POSTGRES"] = database }, "migrate");

            Assert.True(first.ExitCode == 0, first.ToString());
            using var created = JsonDocument.Parse(first.Output);
            Assert.True(created.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal(0, created.RootElement.GetProperty("before").GetInt32());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("Up to date", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Migrate_postgres_against_an_unreachable_server_says_so_in_one_line()
    {
        var folder = tool.NewFolder();

        var run = await tool.RunAsync(folder, "migrate", "--postgres", "Host=127.0.0.1;Port=1;Username=x;Password=secret-pw;Database=x;Timeout=3");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("PostgreSQL", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", run.Error + run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
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
