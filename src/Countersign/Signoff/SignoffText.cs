using System.Text;

namespace Countersign.Signoff;

/// <summary>
/// How sign-off text is measured. The same definition drives the in-memory gate and the database constraints
/// that stores generate, so a response that passes one passes the other.
/// </summary>
/// <remarks>
/// A character is a Unicode scalar value (a <see cref="Rune"/>), which is what SQLite's <c>length()</c> counts.
/// Whitespace is every code point in <see cref="WhitespaceCodePoints"/>: the Unicode White_Space characters
/// (those for which <see cref="char.IsWhiteSpace(char)"/> is true) plus the invisible format characters U+180E,
/// U+200B, U+200C, U+200D, U+2060 and U+FEFF, so that a response cannot be padded to length with characters
/// nobody can see. Text containing U+0000 counts as empty, because SQLite's text functions stop at it.
/// </remarks>
public static class SignoffText
{
    private static readonly int[] Whitespace =
    [
        0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x0085, 0x00A0, 0x1680, 0x180E,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x200B, 0x200C, 0x200D, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF,
    ];

    /// <summary>Gets the code points that do not count towards a sign-off field's length.</summary>
    public static IReadOnlyList<int> WhitespaceCodePoints { get; } = Array.AsReadOnly(Whitespace);

    /// <summary>Returns whether <paramref name="value"/> is one of the <see cref="WhitespaceCodePoints"/>.</summary>
    /// <param name="value">The character.</param>
    /// <returns><see langword="true"/> if it does not count.</returns>
    public static bool IsWhitespace(Rune value) => value.IsBmp && IsWhitespace((char)value.Value);

    /// <summary>
    /// Counts the characters of <paramref name="text"/> that are not whitespace; 0 for <see langword="null"/>
    /// and for text containing U+0000.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of significant characters.</returns>
    public static int CountSignificant(string? text)
    {
        if (text is null || text.Contains('\0', StringComparison.Ordinal))
        {
            return 0;
        }

        var span = text.AsSpan();
        if (Ascii.IsValid(span))
        {
            // The common case, vectorised: in ASCII only the space and U+0009 to U+000D are whitespace.
            return span.Length - span.Count(' ') - span.Count('\t') - span.Count('\n') - span.Count('\v') - span.Count('\f') - span.Count('\r');
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A pair is one scalar value, and none outside the Basic Multilingual Plane is whitespace.
                i++;
                count++;
            }
            else if (!IsWhitespace(c))
            {
                // A lone surrogate counts once, as the U+FFFD it becomes in UTF-8 (and so in SQLite).
                count++;
            }
        }

        return count;
    }

    // Kept in step with the list above by a test that compares them over every UTF-16 code unit.
    private static bool IsWhitespace(char c) => c switch
    {
        ' ' or (>= '\u0009' and <= '\u000D') => true,
        < '\u0080' => false,
        '\u0085' or '\u00A0' or '\u1680' or '\u180E' or (>= '\u2000' and <= '\u200D') => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u2060' or '\u3000' or '\uFEFF' => true,
        _ => false,
    };
}
