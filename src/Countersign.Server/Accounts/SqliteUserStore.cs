using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Countersign.Server.Accounts;

/// <summary>Keeps the web UI's users in a table of a SQLite file (<c>countersign_users</c>), created when missing.</summary>
public sealed class SqliteUserStore : IUserStore
{
    private const string Columns = "name, role, password_hash, created_at";
    private readonly string _connectionString;

    /// <summary>Opens (and creates, if needed) the user table in the SQLite file at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The file; it may be the gate's own database file.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteUserStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS countersign_users (
                name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Gets the full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAsync(CountersignUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO countersign_users ({Columns}) VALUES ($name, $role, $hash, $created) ON CONFLICT(name) DO NOTHING";
        command.Parameters.AddWithValue("$name", user.Name);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$created", user.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<CountersignUser?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM countersign_users WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdatePasswordHashAsync(string name, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE countersign_users SET password_hash = $hash WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", passwordHash);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM countersign_users";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CountersignUser> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM countersign_users ORDER BY name";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    private static CountersignUser Read(SqliteDataReader reader) => new()
    {
        Name = reader.GetString(0),
        Role = reader.GetString(1),
        PasswordHash = reader.GetString(2),
        CreatedAt = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
    };

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
