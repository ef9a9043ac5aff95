namespace Countersign.Cli.Tests.EndToEnd;

/// <summary>What one run of the tool left: exit code, standard output and standard error.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
