using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Countersign.Client.Protocol;
using Countersign.Client.Signing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Countersign.Server.Api.Apps;

/// <summary>
/// The registered apps, in their own SQLite file. Lookups on the signing path are served from memory for a few
/// seconds, so a revocation made by another server process on the same file takes effect within
/// <see cref="CacheLifetime"/>; one made here takes effect at once.
/// </summary>
internal sealed class AppRegistry
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (AppRecord? Record, long LoadedAt)> _cache = new(StringComparer.Ordinal);
    private bool _schemaReady;

    public AppRegistry(IOptions<CountersignServerOptions> options, TimeProvider timeProvider)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Value.AppsDatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _timeProvider = timeProvider;
    }

    public async Task<RegisteredApp> RegisterAsync(string name, CancellationToken cancellationToken)
    {
        var appId = "app_" + Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");
        var secret = "css_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _timeProvider.GetUtcNow();
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO apps (app_id, name, signing_key, created_at) VALUES ($id, $name, $key, $created)";
        command.Parameters.AddWithValue("$id", appId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", RequestSignature.DeriveKey(secret));
        command.Parameters.AddWithValue("$created", now.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new RegisteredApp { AppId = appId, Name = name, Secret = secret, CreatedAt = now };
    }

    public async Task<bool> RevokeAsync(string appId, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE apps SET revoked_at = $now WHERE app_id = $id AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$id", appId);
        command.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        _cache.TryRemove(appId, out _);
        return changed;
    }

    public async Task<IReadOnlyList<RegisteredApp>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT app_id, name, signing_key, created_at, revoked_at FROM apps ORDER BY created_at, app_id";
        var apps = new List<RegisteredApp>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = Read(reader);
            apps.Add(new RegisteredApp { AppId = record.AppId, Name = record.Name, CreatedAt = record.CreatedAt, RevokedAt = record.RevokedAt });
        }

        return apps;
    }

    public async ValueTask<AppRecord?> FindAsync(string appId, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetTimestamp();
        if (_cache.TryGetValue(appId, out var cached) && _timeProvider.GetElapsedTime(cached.LoadedAt, now) < CacheLifetime)
        {
            return cached.Record;
        }

        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT app_id, name, signing_key, created_at, revoked_at FROM apps WHERE app_id = $id";
        command.Parameters.AddWithValue("$id", appId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var record = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
        _cache[appId] = (record, now);
        return record;
    }

    private static AppRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (byte[])reader.GetValue(2),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
        reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!Volatile.Read(ref _schemaReady))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS apps (
                    app_id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    signing_key BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT NULL
                ) STRICT;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            // Racing first opens both run the idempotent CREATE; the flag only saves later opens the statement.
            Volatile.Write(ref _schemaReady, true);
        }

        return connection;
    }
}
