using System.Globalization;

namespace Countersign.Serialization;

/// <summary>
/// Numbers as RFC 8785 writes them: the IEEE 754 double a JSON number denotes, printed the way ECMAScript's
/// <c>Number.prototype.toString</c> does. A number whose digits a double cannot carry (an integer above 2^53 that is
/// not a double, <c>0.10000000000000001</c>, <c>1e400</c>) is refused rather than rounded: a payload hash or an audit
/// entry must never make two different numbers look equal.
/// </summary>
internal static class CanonicalNumber
{
    /// <summary>Enough characters for any canonical number: 17 digits, 21 places, a sign, a point, an exponent.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes the canonical form of JSON number text to <paramref name="destination"/>.</summary>
    /// <param name="jsonNumber">The number as JSON text.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> characters.</param>
    /// <param name="exact">
    /// Refuse a number whose digits the double does not carry (what payloads and audit entries need); without it,
    /// the number is rounded to the nearest double, as the RFC itself does.
    /// </param>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="ArgumentException">The number is outside a double's range, or not exact when that is required.</exception>
    public static int Format(string jsonNumber, Span<char> destination, bool exact = true)
    {
        var given = Decompose(jsonNumber);
        var value = double.Parse(jsonNumber, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw NotExact(jsonNumber);
        }

        if (value == 0)
        {
            if (exact && given.Digits.Length != 0)
            {
                throw NotExact(jsonNumber);
            }

            destination[0] = '0';
            return 1;
        }

        var shortest = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        if (exact && shortest != given)
        {
            throw NotExact(jsonNumber);
        }

        return Write(shortest, destination);
    }

    // ECMAScript Number::toString with k digits s and the decimal point n places from the left of s.
    private static int Write(Decomposed number, Span<char> destination)
    {
        var position = 0;
        if (number.Negative)
        {
            destination[position++] = '-';
        }

        var digits = number.Digits;
        var k = digits.Length;
        var n = (int)number.PointPosition;
        if (k <= n && n <= 21)
        {
            digits.CopyTo(destination[position..]);
            position += k;
            destination.Slice(position, n - k).Fill('0');
            position += n - k;
        }
        else if (0 < n && n <= 21)
        {
            digits.AsSpan(0, n).CopyTo(destination[position..]);
            position += n;
            destination[position++] = '.';
            digits.AsSpan(n).CopyTo(destination[position..]);
            position += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[position++] = '0';
            destination[position++] = '.';
            destination.Slice(position, -n).Fill('0');
            position += -n;
            digits.CopyTo(destination[position..]);
            position += k;
        }
        else
        {
            destination[position++] = digits[0];
            if (k > 1)
            {
                destination[position++] = '.';
                digits.AsSpan(1).CopyTo(destination[position..]);
                position += k - 1;
            }

            var exponent = n - 1;
            destination[position++] = 'e';
            destination[position++] = exponent < 0 ? '-' : '+';
            Math.Abs(exponent).TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
            position += written;
        }

        return position;
    }

    // Splits decimal text (JSON's grammar, or what "R" prints) into its significant digits without leading or trailing
    // zeros and the position of the decimal point relative to them: value = 0.digits × 10^pointPosition.
    private static Decomposed Decompose(string text)
    {
        var span = text.AsSpan();
        var negative = span.Length > 0 && span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        var exponentAt = span.IndexOfAny('e', 'E');
        long exponent = 0;
        if (exponentAt >= 0)
        {
            // Far beyond a double's range either way: clamping keeps the arithmetic safe and the comparison unequal.
            exponent = long.TryParse(span[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? Math.Clamp(parsed, -100_000, 100_000)
                : 100_000;
            span = span[..exponentAt];
        }

        var point = span.IndexOf('.');
        var integerDigits = point < 0 ? span.Length : point;
        Span<char> all = stackalloc char[span.Length];
        var count = 0;
        foreach (var c in span)
        {
            if (c != '.')
            {
                all[count++] = c;
            }
        }

        var digits = all[..count];
        var leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        var pointPosition = digits.IsEmpty ? 0 : integerDigits - leading + exponent;
        return new Decomposed(negative && !digits.IsEmpty, new string(digits), pointPosition);
    }

    private static ArgumentException NotExact(string jsonNumber) => new(
        $"The number {Bounded(jsonNumber)} cannot be carried exactly by an IEEE 754 double, the only number every JSON " +
        "reader agrees on; pass it as a string.");

    private static string Bounded(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private readonly record struct Decomposed(bool Negative, string Digits, long PointPosition);
}
