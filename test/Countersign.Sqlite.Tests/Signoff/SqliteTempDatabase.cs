using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests.Signoff;

/// <summary>A real SQLite file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class SqliteTempDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "countersign-signoff-" + Guid.NewGuid().ToString("N"));

    public SqliteTempDatabase()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "records.db"), Pooling = false }.ToString();
    }

    public string ConnectionString { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        return Execute(connection, sql, parameters);
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteScalar();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
