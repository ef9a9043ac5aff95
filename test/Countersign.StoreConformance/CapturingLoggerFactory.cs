using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Countersign.StoreConformance;

/// <summary>Keeps every log message at every level, so tests can read what a store or the gate said.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    /// <summary>Gets the messages logged so far, with their levels.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message)> Messages { get; } = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Messages.Enqueue((logLevel, formatter(state, exception)));
    }
}
