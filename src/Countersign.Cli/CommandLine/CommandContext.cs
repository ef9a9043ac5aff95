using System.CommandLine;
using Spectre.Console;

namespace Countersign.Cli.CommandLine;

/// <summary>One command's invocation: its parsed arguments, the host, and a console set up for where output goes.</summary>
internal sealed class CommandContext
{
    public CommandContext(CliHost host, ParseResult parseResult)
    {
        Host = host;
        ParseResult = parseResult;
        Json = parseResult.GetValue(GlobalOptions.Json);
        UseColor = host.OutputIsTerminal
            && !parseResult.GetValue(GlobalOptions.NoColor)
            && string.IsNullOrEmpty(host.GetEnvironmentVariable("NO_COLOR"));
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            // On a terminal escape codes are always used (also with colour off): falling back to System.Console's
            // cursor calls would contend with a key reader blocked on the same terminal.
            Ansi = host.OutputIsTerminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = UseColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = host.IsInteractive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(host.Out),
        });
        if (!host.OutputIsTerminal)
        {
            // Redirected output is read by scripts and logs: wide enough that tables do not wrap mid-word.
            Console.Profile.Width = 160;
        }
    }

    public CliHost Host { get; }

    public ParseResult ParseResult { get; }

    /// <summary>Gets the console for tables, colours and prompts; plain text when output is not a terminal.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Gets whether <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>Gets whether colours and live displays are used.</summary>
    public bool UseColor { get; }

    /// <summary>Gets whether progress bars and live screens may draw: a terminal, and not JSON.</summary>
    public bool ShowProgress => UseColor && !Json;

    /// <summary>Writes one line of markup: styled on a terminal, plain and never wrapped otherwise (for logs and pipes).</summary>
    public void WriteMarkupLine(string markup)
    {
        if (UseColor)
        {
            Console.MarkupLine(markup);
        }
        else
        {
            Host.Out.WriteLine(Markup.Remove(markup));
        }
    }

    public T? GetValue<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? GetValue<T>(Argument<T> argument) => ParseResult.GetValue(argument);
}
