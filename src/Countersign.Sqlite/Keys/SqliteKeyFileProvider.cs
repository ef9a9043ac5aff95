using Countersign.Keys;

namespace Countersign.Sqlite;

/// <summary>
/// Reads keys from a key file in the format <see cref="SqliteStore"/> generates (<c>&lt;database&gt;.keys</c>); it never
/// creates one. Use it to keep a generated key file apart from the database, for example on a mounted secret volume.
/// </summary>
public sealed class SqliteKeyFileProvider : IKeyRingProvider
{
    /// <summary>Creates the provider.</summary>
    /// <param name="path">The key file.</param>
    public SqliteKeyFileProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>Gets the key file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    /// <exception cref="CountersignStoreException">The key file is missing or unreadable (not transient).</exception>
    public ValueTask<KeyRing> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SqliteKeyFile.Load(Path));
    }
}
