using System.CommandLine;
using Countersign.Policy;

namespace Countersign.Cli.CommandLine;

/// <summary>
/// Wires a command's handler so every failure becomes one line on standard error and an exit code: a bad argument,
/// a missing file or an unreachable store never shows a stack trace.
/// </summary>
internal static class CliAction
{
    public static void SetHandler(this Command command, CliHost host, Func<CommandContext, CancellationToken, Task<int>> handler)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CommandContext context;
            try
            {
                context = new CommandContext(host, parseResult);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                return Fail(host, ExitCodes.InternalError, exception.Message);
            }

            try
            {
                return await handler(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Fail(host, ExitCodes.Cancelled, "interrupted.");
            }
            catch (CliException failure)
            {
                return Fail(host, failure.ExitCode, failure.Message);
            }
            catch (CountersignStoreException failure)
            {
                return Fail(host, ExitCodes.StoreUnavailable, failure.Message);
            }
            catch (PolicyLoadException failure)
            {
                return Fail(host, ExitCodes.CheckFailed, failure.Errors[0].ToString());
            }
            catch (Exception failure) when (failure is FileNotFoundException or DirectoryNotFoundException)
            {
                return Fail(host, ExitCodes.NotFound, failure.Message);
            }
            catch (Exception failure) when (failure is UnauthorizedAccessException or IOException)
            {
                return Fail(host, ExitCodes.StoreUnavailable, failure.Message);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                var detail = string.Equals(host.GetEnvironmentVariable("COUNTERSIGN_DEBUG"), "1", StringComparison.Ordinal)
                    ? failure.ToString()
                    : $"{failure.GetType().Name}: {failure.Message} (set COUNTERSIGN_DEBUG=1 for details)";
                return Fail(host, ExitCodes.InternalError, "internal error: " + detail);
            }
        });
    }

    public static int Fail(CliHost host, int exitCode, string message)
    {
        host.Error.WriteLine("countersign: " + Terminal.TerminalText.Plain(message, 2000));
        return exitCode;
    }
}
