using System.Net.Sockets;
using Npgsql;

namespace Countersign.Postgres;

/// <summary>Turns provider failures into <see cref="CountersignStoreException"/>, saying whether a retry may help.</summary>
internal static class PostgresErrors
{
    /// <summary>SQLSTATE of a unique constraint violation.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>
    /// Whether <paramref name="exception"/> is a failure of the store rather than a misuse of the API: the provider's and
    /// the server's errors, a dropped connection, a timeout, or a row that no longer parses.
    /// </summary>
    public static bool IsStoreFailure(Exception exception) =>
        exception is NpgsqlException or IOException or SocketException or TimeoutException or ObjectDisposedException
        or FormatException or System.Text.Json.JsonException or InvalidCastException;

    /// <summary>Whether the failure is of the connection rather than of a statement: the pool's idle connections may be dead too.</summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or IOException or SocketException
        || (exception is PostgresException postgres && postgres.SqlState.StartsWith("57P", StringComparison.Ordinal));

    /// <summary>Wraps a store failure.</summary>
    public static CountersignStoreException Wrap(string operation, Exception exception) => exception switch
    {
        CountersignStoreException store => store,
        ObjectDisposedException => Disposed(exception),
        PostgresException postgres => new CountersignStoreException(
            $"The PostgreSQL store could not {operation}: {postgres.SqlState} {postgres.MessageText}",
            postgres.IsTransient,
            postgres),
        NpgsqlException npgsql => new CountersignStoreException($"The PostgreSQL store could not {operation}: {npgsql.Message}", isTransient: true, npgsql),
        _ => new CountersignStoreException(
            $"The PostgreSQL store could not {operation}: {exception.Message}",
            isTransient: exception is IOException or SocketException or TimeoutException,
            exception),
    };

    /// <summary>The error for any use of a disposed store.</summary>
    public static CountersignStoreException Disposed(Exception? inner = null) =>
        new("The PostgreSQL store has been disposed.", isTransient: false, inner);
}
