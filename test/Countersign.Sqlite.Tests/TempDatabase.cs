using Countersign.Sqlite;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite.Tests;

/// <summary>A database path in a fresh temporary folder, deleted with everything in it when disposed.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "countersign-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "countersign.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public SqliteStoreOptions Options(TimeProvider? timeProvider = null, TimeSpan? pollInterval = null) => new()
    {
        DatabasePath = Path,
        TimeProvider = timeProvider ?? TimeProvider.System,
        ChangePollInterval = pollInterval ?? SqliteStoreOptions.DefaultChangePollInterval,
    };

    /// <summary>Opens a plain connection to the file, as an outside tool (or an attacker) would.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
