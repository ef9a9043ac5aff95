using System.Diagnostics;
using System.Text.Json;

namespace Countersign.Server.Tests;

/// <summary>Runs the bash signing example of docs/server.md as written, against a real server.</summary>
public sealed class SigningDocTests
{
    [Fact]
    public async Task The_documented_bash_example_signs_a_request_the_server_accepts()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerHost.StartAsync(directory.Path);
        var app = await server.RegisterAppAsync();
        var script = ExtractScript();

        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["COUNTERSIGN_URL"] = server.BaseAddress.ToString().TrimEnd('/');
        start.Environment["COUNTERSIGN_APP_ID"] = app.AppId;
        start.Environment["COUNTERSIGN_SECRET"] = app.Secret;
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, errors);
        using var verdict = JsonDocument.Parse(output);
        Assert.Equal("pending", verdict.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("order-77", verdict.RootElement.GetProperty("idempotencyKey").GetString());
    }

    private static string ExtractScript()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Countersign.slnx")))
        {
            directory = directory.Parent;
        }

        var doc = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "server.md"));
        var start = doc.IndexOf("```bash\nURL=", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/server.md has no bash signing example");
        start += "```bash\n".Length;
        var end = doc.IndexOf("```", start, StringComparison.Ordinal);
        return "set -euo pipefail\n" + doc[start..end];
    }
}
