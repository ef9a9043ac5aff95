namespace Countersign.Channels;

/// <summary>Settings of the terminal reviewer.</summary>
public sealed class ConsoleApprovalChannelOptions
{
    /// <summary>Gets or sets the reviewer identity recorded for decisions made at this terminal. Default: the OS user name.</summary>
    public string Reviewer { get; set; } = Environment.UserName;

    /// <summary>Gets or sets the roles the terminal's reviewer holds.</summary>
    public IReadOnlyList<string> Roles { get; set; } = [];

    /// <summary>Gets or sets whether to ask for an optional comment after the decision. Default: true.</summary>
    public bool AskForComment { get; set; } = true;

    /// <summary>Gets or sets where answers are read. Default: <see cref="Console.In"/>.</summary>
    public TextReader? Input { get; set; }

    /// <summary>Gets or sets where prompts are written. Default: <see cref="Console.Out"/>.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>
    /// Gets or sets whether a person can answer at this terminal. Default: standard input is a terminal (not redirected),
    /// or the environment variable <c>COUNTERSIGN_CONSOLE_INTERACTIVE</c> is <c>true</c> (answers piped in by a script).
    /// When false the channel never reads: it prints where the request is waiting and leaves it pending in the store.
    /// </summary>
    public Func<bool>? IsInteractive { get; set; }
}
