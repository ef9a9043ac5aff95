using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// Holds when the argument at <see cref="ArgumentPath"/> is a number strictly greater than <see cref="Threshold"/>.
/// </summary>
/// <remarks>
/// The argument may be a JSON number or a string holding a finite number in invariant culture (<c>"4000.50"</c>).
/// A missing argument, or one that is not numeric (<c>null</c>, <c>"abc"</c>, an object), makes the condition
/// <em>not</em> hold: the rule then does not apply, and the call is decided by the other rules, the fallback rules
/// or the policy's default effect. Give the tool a fallback that asks for approval when that matters.
/// </remarks>
public sealed class AmountOverCondition : PolicyCondition
{
    private readonly ArgumentPath _path;

    internal AmountOverCondition(ArgumentPath path, decimal threshold)
    {
        _path = path;
        Threshold = threshold;
    }

    /// <summary>Gets the path of the argument, for example <c>amount</c> or <c>order.total</c>.</summary>
    public string ArgumentPath => _path.Text;

    /// <summary>Gets the amount that the argument must exceed.</summary>
    public decimal Threshold { get; }

    internal ArgumentPath Path => _path;

    internal override bool ReasonQuotesArguments => true;

    /// <inheritdoc/>
    public override bool IsSatisfiedBy(JsonElement arguments)
    {
        if (!_path.TryResolve(arguments, out var value))
        {
            return false;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetDecimal(out var amount))
            {
                return amount > Threshold;
            }

            if (value.TryGetDouble(out var large) && double.IsFinite(large))
            {
                return large > (double)Threshold;
            }

            // Beyond double's range: only the sign matters.
            return JsonMarshal.GetRawUtf8Value(value)[0] != (byte)'-';
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value);
            var inner = raw[1..^1];
            if (inner.IndexOf((byte)'\\') >= 0)
            {
                return IsOver(value.GetString().AsSpan());
            }

            return IsOver(inner);
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{ArgumentPath} over {Threshold.ToString(CultureInfo.InvariantCulture)}";

    internal override void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden)
    {
        text.Append(_path.Text);
        if (!IsHidden(hidden) && _path.TryResolve(arguments, out var value))
        {
            text.Append(' ').Append(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
        }

        text.Append(" is over ").Append(Threshold.ToString(CultureInfo.InvariantCulture));
    }

    private bool IsHidden(IReadOnlyList<ArgumentPath> hidden)
    {
        foreach (var path in hidden)
        {
            if (path.Covers(_path))
            {
                return true;
            }
        }

        return false;
    }

    private const NumberStyles Numeric = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private bool IsOver(ReadOnlySpan<byte> utf8)
    {
        if (decimal.TryParse(utf8, Numeric, CultureInfo.InvariantCulture, out var amount))
        {
            return amount > Threshold;
        }

        return double.TryParse(utf8, Numeric, CultureInfo.InvariantCulture, out var large)
            && double.IsFinite(large) && large > (double)Threshold;
    }

    private bool IsOver(ReadOnlySpan<char> text)
    {
        if (decimal.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var amount))
        {
            return amount > Threshold;
        }

        return double.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var large)
            && double.IsFinite(large) && large > (double)Threshold;
    }
}
