using System.Diagnostics;

namespace Countersign.Cli.Tests.EndToEnd;

/// <summary>
/// The countersign tool as a user gets it: this build packed with <c>dotnet pack</c> into a temporary folder and
/// installed from there with <c>dotnet tool install --tool-path</c>. Done once per test run and shared.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "countersign-tool-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Gets the installed <c>countersign</c> executable.</summary>
    public string Executable { get; private set; } = string.Empty;

    /// <summary>Gets a folder for a test's files, removed with the tool.</summary>
    public string NewFolder()
    {
        var folder = Path.Combine(_root, "work", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async Task InitializeAsync()
    {
        var packages = Path.Combine(_root, "packages");
        var tools = Path.Combine(_root, "tools");
        Directory.CreateDirectory(packages);
        var (configuration, project) = LocateProject();

        // The test project references the CLI, so it is already built in this configuration: pack that build.
        var pack = await RunDotnetAsync(["pack", project, "--no-build", "-c", configuration, "-o", packages, "--nologo"], _root);
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);

        var config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="countersign-test" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var install = await RunDotnetAsync(["tool", "install", "--tool-path", tools, "--configfile", config, "Countersign.Cli", "--version", "0.1.0"], _root);
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.Output);
        Executable = Path.Combine(tools, OperatingSystem.IsWindows() ? "countersign.exe" : "countersign");
        Assert.True(File.Exists(Executable), "the tool was not installed as 'countersign'");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an ended process; the temporary folder is cleaned by the system.
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs <c>countersign</c> by name from its install folder, with no terminal and standard input closed.</summary>
    public Task<ToolRun> RunAsync(string workingDirectory, params string[] arguments) =>
        ToolProcess.RunAsync(Executable, arguments, workingDirectory, new Dictionary<string, string>());

    public Task<ToolRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ToolProcess.RunAsync(Executable, arguments, workingDirectory, environment);

    private static (string Configuration, string Project) LocateProject()
    {
        // Tests run from test/<project>/bin/<configuration>/<tfm>/.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent!.Name;
        var root = directory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Countersign.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return (configuration, Path.Combine(root.FullName, "src", "Countersign.Cli", "Countersign.Cli.csproj"));
    }

    private static async Task<ToolRun> RunDotnetAsync(string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(guard.Token);
        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
