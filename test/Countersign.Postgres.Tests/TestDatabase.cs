using Countersign.Postgres;
using Npgsql;

namespace Countersign.Postgres.Tests;

/// <summary>
/// A fresh, empty PostgreSQL database for one test, dropped (with any connections still on it) when disposed. The
/// server comes from <c>COUNTERSIGN_TEST_POSTGRES</c>, or the local default; when it cannot be reached the test fails,
/// it is never skipped.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "COUNTERSIGN_TEST_POSTGRES";
    private const string LocalDefault = "Host=127.0.0.1;Port=5432;Username=countersign;Password=countersign;Database=countersign";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>Gets the connection string of the server's maintenance database, with the superuser role the tests use.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : LocalDefault;

    public string Name { get; }

    /// <summary>Gets the connection string of this test's database.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "cs_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }

    /// <summary>Creates the database synchronously, for test classes whose setup cannot await.</summary>
    public static TestDatabase Create() => Task.Run(CreateAsync).GetAwaiter().GetResult();

    public PostgresStoreOptions Options(TimeProvider? timeProvider = null, TimeSpan? reconnectDelay = null) => new()
    {
        ConnectionString = ConnectionString,
        TimeProvider = timeProvider ?? TimeProvider.System,
        ReconnectDelay = reconnectDelay ?? TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Runs SQL on this database as the superuser, as an administrator (or an attacker with the role) would.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value on this database as the superuser.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
