using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// Opens connections to the store's file, each set up the same way: busy timeout, durability, foreign keys, and no
/// automatic checkpoints (the <see cref="SqliteCheckpointer"/> runs them off the writers' path).
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _setup;

    public SqliteConnectionFactory(string databasePath, SqliteDurability durability, TimeSpan busyTimeout, SqliteOpenMode mode)
    {
        DatabasePath = databasePath;
        Durability = durability;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,

            // The store keeps its own few connections; the provider's pool would hide which connection runs what.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
        var synchronous = durability == SqliteDurability.Full ? "FULL" : "NORMAL";
        _setup = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0;");
    }

    /// <summary>Gets the database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the durability connections are set up with.</summary>
    public SqliteDurability Durability { get; }

    /// <summary>
    /// Fails when the database file is no longer at its path. An open SQLite connection keeps writing to a deleted
    /// file without any error, so a store that did not look would report commits that no one can ever read.
    /// </summary>
    /// <exception cref="CountersignStoreException">The file is gone.</exception>
    public void EnsureFilePresent()
    {
        if (!File.Exists(DatabasePath))
        {
            throw new CountersignStoreException($"The SQLite store's database file '{DatabasePath}' is gone; nothing can be committed to it.", isTransient: false);
        }
    }

    /// <summary>Opens and sets up a new connection.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _setup;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
