using System.Diagnostics;

namespace Countersign.Postgres.Tests;

/// <summary>This test assembly run as a child process, another host on the database; see <see cref="Program"/>.</summary>
internal sealed class ChildHost : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private ChildHost(Process process) => _process = process;

    public static ChildHost Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildHost(Process.Start(start)!);
    }

    /// <summary>Reads the child's next line of output; a child that exits first fails the test with what it wrote to standard error.</summary>
    public async Task<string> ReadLineAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(HangGuard);
        if (line is null)
        {
            var error = await _process.StandardError.ReadToEndAsync();
            Assert.Fail($"The child process ended without output: {error}");
        }

        return line;
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(HangGuard);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
