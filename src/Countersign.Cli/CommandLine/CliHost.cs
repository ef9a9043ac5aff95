namespace Countersign.Cli.CommandLine;

/// <summary>
/// What a command may touch outside itself: standard streams, the environment, the clock, the working folder and
/// whether a person sits at a terminal. Tests build one over string writers.
/// </summary>
internal sealed class CliHost
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Gets whether standard output is a terminal (colours, live screens and progress bars only then).</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Gets whether a person can answer: standard input and output are both a terminal.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>Gets the keyboard of an interactive terminal, or <see langword="null"/>.</summary>
    public IKeySource? Keys { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The host of this process: the real console.</summary>
    public static CliHost FromProcess()
    {
        var outputIsTerminal = !Console.IsOutputRedirected;
        var interactive = outputIsTerminal && !Console.IsInputRedirected;
        return new CliHost
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            OutputIsTerminal = outputIsTerminal,
            IsInteractive = interactive,
            Keys = interactive ? new ConsoleKeySource() : null,
        };
    }

    /// <summary>Resolves a path given on the command line against the working folder.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
