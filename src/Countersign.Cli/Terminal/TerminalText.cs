using Spectre.Console;

namespace Countersign.Cli.Terminal;

/// <summary>
/// Text from an agent, a policy file or a store, made safe for the terminal: control and direction characters
/// escaped (so it cannot restyle the screen or reorder a line), bounded, and escaped for Spectre markup.
/// </summary>
internal static class TerminalText
{
    /// <summary>Neutralised and bounded, for plain output.</summary>
    public static string Plain(string? text, int maxLength = 200) => Countersign.Text.ReviewerText.Neutralize(text, maxLength);

    /// <summary>Neutralised, bounded and escaped for use inside Spectre markup.</summary>
    public static string Markup(string? text, int maxLength = 200) => Spectre.Console.Markup.Escape(Countersign.Text.ReviewerText.Neutralize(text, maxLength));

    /// <summary>A table cell holding untrusted text.</summary>
    public static Spectre.Console.Text Cell(string? text, int maxLength = 200) => new(Countersign.Text.ReviewerText.Neutralize(text, maxLength));
}
