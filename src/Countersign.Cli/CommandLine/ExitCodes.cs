namespace Countersign.Cli.CommandLine;

/// <summary>The exit codes every command uses; docs/cli.md lists them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked, and what it checked was clean.</summary>
    public const int Success = 0;

    /// <summary>The command ran, and what it checked failed: a tampered audit log, a policy with errors, a refused review.</summary>
    public const int CheckFailed = 1;

    /// <summary>A bad argument or option, or a command that needs a terminal run without one.</summary>
    public const int Usage = 2;

    /// <summary>A file or approval that was named does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The store cannot be opened or used: missing, unreadable, locked, or written by a newer Countersign.</summary>
    public const int StoreUnavailable = 4;

    /// <summary>Something unexpected failed inside the tool.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Cancelled = 130;
}
