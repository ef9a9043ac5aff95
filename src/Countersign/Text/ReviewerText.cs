using System.Buffers;
using System.Globalization;
using System.Text;

namespace Countersign.Text;

/// <summary>
/// Makes text that an agent supplied (a tool name, a description, argument names and values) safe to show a human
/// reviewer on any surface: a terminal, a web page, a chat message. Such text must not be able to restyle the
/// screen, move the cursor, start a line of its own or reorder what the reviewer reads.
/// </summary>
/// <remarks>
/// <para>Unsafe characters are the control characters (Unicode category Cc: ESC, CR, LF, BEL, backspace, DEL, the C1
/// controls such as U+009B), the format characters (Cf: the bidirectional overrides and isolates U+202A–U+202E and
/// U+2066–U+2069, the marks U+200E, U+200F and U+061C, zero-width characters such as U+200B and U+200D, U+FEFF, the
/// tag characters U+E0000–U+E007F), the line and paragraph separators U+2028 and U+2029, and lone surrogates.</para>
/// <para><see cref="Neutralize"/> writes each as a visible escape: <c>\n</c>, <c>\r</c> and <c>\t</c> for the three
/// common ones, <c>\u001B</c> (four hexadecimal digits) for the rest of the Basic Multilingual Plane and
/// <c>\U000E0041</c> (eight) beyond it. Letters of every script, right-to-left ones included, and emoji are kept.
/// A backslash is kept as it is, so an escape in the output may also be text the agent wrote; what matters is that it
/// is inert.</para>
/// </remarks>
public static class ReviewerText
{
    /// <summary>The length <see cref="Neutralize"/> keeps unless told otherwise.</summary>
    public const int DefaultMaxLength = 2000;

    /// <summary>
    /// Returns <paramref name="text"/> with every unsafe character written as a visible escape, cut to at most
    /// <paramref name="maxLength"/> characters followed by <c>… (truncated from N characters)</c> when it is longer.
    /// </summary>
    /// <param name="text">The untrusted text; <see langword="null"/> gives the empty string.</param>
    /// <param name="maxLength">How many characters of the escaped text to keep; a cut never splits an escape or a
    /// surrogate pair. The note after a cut is not counted.</param>
    /// <returns>The text itself when it is safe and short enough (no copy is made), otherwise a safe copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 1.</exception>
    public static string Neutralize(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text is null)
        {
            return string.Empty;
        }

        if (text.Length <= maxLength && !ContainsUnsafeCharacter(text))
        {
            return text;
        }

        var shown = new StringBuilder(Math.Min(text.Length, maxLength) + 40);
        Span<char> escape = stackalloc char[10];
        var position = 0;
        while (position < text.Length)
        {
            var rest = text.AsSpan(position);
            scoped ReadOnlySpan<char> piece;
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                consumed = 1;
                piece = escape[..Escape(rest[0], escape)];
            }
            else
            {
                piece = IsUnsafe(rune) ? escape[..Escape(rune, escape)] : rest[..consumed];
            }

            if (shown.Length + piece.Length > maxLength)
            {
                return shown.Append(CultureInfo.InvariantCulture, $"… (truncated from {text.Length} characters)").ToString();
            }

            shown.Append(piece);
            position += consumed;
        }

        return shown.ToString();
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds a character that <see cref="Neutralize"/> would escape: a control or
    /// format character, a line or paragraph separator, or a lone surrogate. It allocates nothing, so it can check
    /// identifiers such as tool names on every call.
    /// </summary>
    /// <param name="text">The text to check.</param>
    /// <returns><see langword="true"/> when the text holds at least one unsafe character.</returns>
    public static bool ContainsUnsafeCharacter(ReadOnlySpan<char> text)
    {
        var position = 0;
        while (position < text.Length)
        {
            if (text[position] is >= ' ' and < '\u007F')
            {
                position++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[position..], out var rune, out var consumed) != OperationStatus.Done || IsUnsafe(rune))
            {
                return true;
            }

            position += consumed;
        }

        return false;
    }

    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static int Escape(Rune rune, Span<char> destination)
    {
        switch (rune.Value)
        {
            case '\n':
                return Short('n', destination);
            case '\r':
                return Short('r', destination);
            case '\t':
                return Short('t', destination);
            case > char.MaxValue:
                destination[0] = '\\';
                destination[1] = 'U';
                rune.Value.TryFormat(destination[2..], out var written, "X8", CultureInfo.InvariantCulture);
                return 2 + written;
            default:
                return Escape((char)rune.Value, destination);
        }
    }

    private static int Escape(char c, Span<char> destination)
    {
        destination[0] = '\\';
        destination[1] = 'u';
        ((int)c).TryFormat(destination[2..], out var written, "X4", CultureInfo.InvariantCulture);
        return 2 + written;
    }

    private static int Short(char letter, Span<char> destination)
    {
        destination[0] = '\\';
        destination[1] = letter;
        return 2;
    }
}
