using Npgsql;

namespace Countersign.LoadHarness;

/// <summary>
/// A fresh database on the PostgreSQL server that <c>--postgres CONN</c> names (its role must be allowed to create
/// databases), dropped afterwards unless <c>--keep true</c>.
/// </summary>
internal sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly bool _keep;

    private ScratchPostgresDatabase(string server, string name, bool keep)
    {
        _server = server;
        _keep = keep;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ScratchPostgresDatabase> CreateAsync(HarnessArguments arguments)
    {
        var server = arguments.Text("postgres", Environment.GetEnvironmentVariable("COUNTERSIGN_POSTGRES") ?? string.Empty);
        if (server.Length == 0)
        {
            throw new ArgumentException("--store postgres needs --postgres <connection string> (or COUNTERSIGN_POSTGRES).");
        }

        var name = arguments.Text("database", "cs_load_" + Guid.NewGuid().ToString("N")[..12]);
        var scratch = new ScratchPostgresDatabase(server, name, arguments.Text("keep", "false") == "true");
        await scratch.ExecuteOnServerAsync($"CREATE DATABASE {name}");
        return scratch;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_keep)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
