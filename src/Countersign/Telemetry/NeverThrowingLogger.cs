using Microsoft.Extensions.Logging;

namespace Countersign.Telemetry;

/// <summary>
/// Wraps the gate's logger so a failing logging provider can never break a guarded call: the logging stack rethrows a
/// provider's exception to the caller, and the gate's callers are the guarded calls.
/// </summary>
internal sealed class NeverThrowingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
#pragma warning disable CA1031 // Logging must never throw into a guarded call.
        catch
#pragma warning restore CA1031
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
#pragma warning disable CA1031 // Logging must never throw into a guarded call.
        catch
#pragma warning restore CA1031
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
#pragma warning disable CA1031 // Logging must never throw into a guarded call.
        catch
#pragma warning restore CA1031
        {
        }
    }
}
