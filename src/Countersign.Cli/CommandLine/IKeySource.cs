namespace Countersign.Cli.CommandLine;

/// <summary>Key presses from a terminal, for the keyboard-driven screens.</summary>
internal interface IKeySource
{
    /// <summary>Waits for the next key press.</summary>
    ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken);
}
