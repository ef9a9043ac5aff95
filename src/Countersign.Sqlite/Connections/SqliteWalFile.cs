using System.Runtime.InteropServices;

namespace Countersign.Sqlite;

/// <summary>
/// The database's write-ahead log, opened only to sync it to the disk: at <see cref="SqliteDurability.Full"/> the audit
/// writer commits without SQLite's own sync and the <see cref="AuditLogSyncer"/> syncs the log through this before any
/// caller completes. SQLite's bundled build syncs with <c>fsync</c>, which also writes the file's metadata, and the
/// modification time changes with every commit; on Linux this uses <c>fdatasync</c>, which writes the data and only the
/// metadata needed to read it back (a grown size), sparing a synchronous metadata write on most commits. Elsewhere it
/// is a plain flush to disk. Syncing any descriptor of a file syncs what every descriptor wrote to it.
/// </summary>
internal sealed class SqliteWalFile : IDisposable
{
    private readonly FileStream _file;

    private SqliteWalFile(FileStream file) => _file = file;

    /// <summary>
    /// Opens the log of <paramref name="databasePath"/>. Call it while a connection that has written to the file is open:
    /// SQLite keeps the log at its path, growing or overwriting it in place, for as long as any connection is open.
    /// </summary>
    public static SqliteWalFile Open(string databasePath) =>
        new(new FileStream(databasePath + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));

    /// <summary>Returns once everything written to the log so far, by any connection, is on the disk.</summary>
    /// <exception cref="IOException">The sync failed; what was written since the last sync may be lost.</exception>
    public void Sync()
    {
        if (!OperatingSystem.IsLinux())
        {
            _file.Flush(flushToDisk: true);
            return;
        }

        var handle = _file.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (FDataSync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"Syncing the SQLite write-ahead log '{_file.Name}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _file.Dispose();

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(int fd);
}
