namespace Countersign.Cli.CommandLine;

/// <summary>A failure a command reports as one line on standard error with its exit code, never as a stack trace.</summary>
/// <param name="exitCode">The exit code, one of <see cref="ExitCodes"/>.</param>
/// <param name="message">The line to print.</param>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>Gets the exit code.</summary>
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);

    public static CliException Store(string message) => new(ExitCodes.StoreUnavailable, message);
}
