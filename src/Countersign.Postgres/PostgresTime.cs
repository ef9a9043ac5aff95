namespace Countersign.Postgres;

/// <summary>
/// How times meet <c>timestamptz</c>: PostgreSQL keeps microseconds, so the store rounds every time it writes down to
/// a whole microsecond and hands back exactly what it stored.
/// </summary>
internal static class PostgresTime
{
    /// <summary>Returns the UTC time PostgreSQL stores for <paramref name="value"/>.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Returns <paramref name="value"/> as stored, or <see langword="null"/>.</summary>
    public static DateTimeOffset? Stored(DateTimeOffset? value) => value is { } time ? Stored(time) : null;

    /// <summary>A parameter value: the stored time, or <see cref="DBNull"/>.</summary>
    public static object Parameter(DateTimeOffset? value) => value is { } time ? Stored(time) : DBNull.Value;
}
