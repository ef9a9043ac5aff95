using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>Turns provider failures into <see cref="CountersignStoreException"/>, saying whether a retry may help.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Full = 13;
    private const int IoError = 10;
    private const int Protocol = 15;

    /// <summary>
    /// Whether <paramref name="exception"/> is a failure of the store rather than a misuse of the API: the provider's
    /// errors, file-system errors, a disposed connection, or a row that no longer parses.
    /// </summary>
    public static bool IsStoreFailure(Exception exception) =>
        exception is SqliteException or IOException or UnauthorizedAccessException or ObjectDisposedException
        or FormatException or System.Text.Json.JsonException or InvalidCastException;

    /// <summary>Wraps a store failure.</summary>
    public static CountersignStoreException Wrap(string operation, Exception exception) => exception switch
    {
        SqliteException sqlite => new CountersignStoreException(
            $"The SQLite store could not {operation}: {sqlite.Message}",
            IsTransient(sqlite.SqliteErrorCode),
            sqlite),
        ObjectDisposedException => Disposed(exception),
        _ => new CountersignStoreException($"The SQLite store could not {operation}: {exception.Message}", isTransient: exception is IOException, exception),
    };

    /// <summary>The error for any use of a disposed store.</summary>
    public static CountersignStoreException Disposed(Exception? inner = null) =>
        new("The SQLite store has been disposed.", isTransient: false, inner);

    /// <summary>Whether a primary or extended SQLite result code means a retry may succeed (a lock, a full disk, an I/O hiccup).</summary>
    public static bool IsTransient(int resultCode) => (resultCode & 0xFF) is Busy or Locked or IoError or Full or Protocol;
}
