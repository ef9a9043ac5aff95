using Countersign.Keys;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// Rotates a key in the key file a SQLite store generated for itself (<c>&lt;database&gt;.keys</c>). Keys that come
/// from a configured <see cref="IKeyRingProvider"/> are rotated where they are kept, not here.
/// </summary>
public static class SqliteKeyRotation
{
    /// <summary>
    /// Makes a fresh key current for <paramref name="purpose"/> and keeps the previous ones, so entries already
    /// written still verify. Stores opened afterwards use the new key; a store that is open keeps its keys until it is
    /// reopened, and what it writes meanwhile verifies with the key it used.
    /// </summary>
    /// <param name="databasePath">The database whose key file to rotate.</param>
    /// <param name="purpose">Which key.</param>
    /// <returns>The new key's id.</returns>
    /// <exception cref="CountersignStoreException">The database or its key file is missing or unreadable.</exception>
    public static string Rotate(string databasePath, KeyPurpose purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var path = Path.GetFullPath(databasePath);
        if (!File.Exists(path))
        {
            throw new CountersignStoreException($"The SQLite store '{path}' does not exist.", isTransient: false);
        }

        try
        {
            var factory = new SqliteConnectionFactory(path, SqliteDurability.Full, SqliteStoreOptions.DefaultBusyTimeout, SqliteOpenMode.ReadWrite);
            using var connection = factory.Open();
            return SqliteKeyFile.Rotate(SqliteKeyFile.PathFor(path), connection, purpose);
        }
        catch (Exception exception) when (SqliteErrors.IsStoreFailure(exception))
        {
            throw SqliteErrors.Wrap($"rotate the keys of '{path}'", exception);
        }
    }
}
