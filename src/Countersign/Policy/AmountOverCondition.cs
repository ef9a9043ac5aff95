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
/// The argument may be a JSON number or a string holding a number in invariant culture (<c>"4000.50"</c>,
/// <c>" 250.5 "</c>: white space around it is allowed). A missing argument, or one that is not a number
/// (<c>null</c>, <c>"lots"</c>, <c>"4,000"</c>, <c>"NaN"</c>, a boolean, an object, a list), means the condition
/// <em>cannot be evaluated</em>: <see cref="PolicyEvaluator"/> then never allows the call. The rule counts as at
/// least require_approval (a deny rule still denies), and the reason says what could not be evaluated.
/// </remarks>
public sealed class AmountOverCondition : PolicyCondition
{
    private const NumberStyles Numeric = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
        | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // Longer numeric text is read through a string; amounts are rarely that long.
    private const int StackLimit = 128;
    private readonly ArgumentPath _path;
    private readonly string _formula;

    internal AmountOverCondition(ArgumentPath path, decimal threshold)
    {
        _path = path;
        Threshold = threshold;
        _formula = $"amount_over({path.Text}, {threshold.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>Gets the path of the argument, for example <c>amount</c> or <c>order.total</c>.</summary>
    public string ArgumentPath => _path.Text;

    /// <summary>Gets the amount that the argument must exceed.</summary>
    public decimal Threshold { get; }

    internal ArgumentPath Path => _path;

    internal override bool ReasonQuotesArguments => true;

    /// <inheritdoc/>
    public override bool IsSatisfiedBy(JsonElement arguments) => Evaluate(arguments) == ConditionOutcome.Holds;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{ArgumentPath} over {Threshold.ToString(CultureInfo.InvariantCulture)}";

    internal override ConditionOutcome Evaluate(JsonElement arguments, StringBuilder? why = null, IReadOnlyList<ArgumentPath>? hidden = null)
    {
        if (!_path.TryResolve(arguments, out var value))
        {
            return ConditionReasons.CannotEvaluate(why, _formula, _path, null, "a number", hidden);
        }

        var outcome = value.ValueKind switch
        {
            JsonValueKind.Number => CompareNumber(value),
            JsonValueKind.String => CompareText(value),
            _ => ConditionOutcome.Indeterminate,
        };
        return outcome == ConditionOutcome.Indeterminate
            ? ConditionReasons.CannotEvaluate(why, _formula, _path, value, "a number", hidden)
            : outcome;
    }

    internal override void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden)
    {
        text.Append(_path.Text);
        if (!ConditionReasons.IsHidden(_path, hidden) && _path.TryResolve(arguments, out var value))
        {
            text.Append(' ').Append(value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText());
        }

        text.Append(" is over ").Append(Threshold.ToString(CultureInfo.InvariantCulture));
    }

    private ConditionOutcome CompareNumber(JsonElement value)
    {
        if (value.TryGetDecimal(out var amount))
        {
            return Over(amount > Threshold);
        }

        if (value.TryGetDouble(out var large) && double.IsFinite(large))
        {
            return Over(large > (double)Threshold);
        }

        // Beyond double's range: only the sign matters.
        return Over(JsonMarshal.GetRawUtf8Value(value)[0] != (byte)'-');
    }

    private ConditionOutcome CompareText(JsonElement value)
    {
        var inner = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (inner.Length > StackLimit || inner.IndexOf((byte)'\\') >= 0)
        {
            return Compare(value.GetString().AsSpan());
        }

        Span<char> text = stackalloc char[StackLimit];
        return Compare(text[..Encoding.UTF8.GetChars(inner, text)]);
    }

    private ConditionOutcome Compare(ReadOnlySpan<char> text)
    {
        if (decimal.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var amount))
        {
            return Over(amount > Threshold);
        }

        if (double.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var large))
        {
            if (double.IsFinite(large))
            {
                return Over(large > (double)Threshold);
            }

            // Written digits beyond double's range count by their sign, as JSON numbers do; "Infinity" and "NaN"
            // parse too, but are words, not amounts.
            if (!double.IsNaN(large) && text.IndexOfAnyInRange('0', '9') >= 0)
            {
                return Over(large > 0);
            }
        }

        return ConditionOutcome.Indeterminate;
    }

    private static ConditionOutcome Over(bool over) => over ? ConditionOutcome.Holds : ConditionOutcome.Fails;
}
