using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// Holds when the argument at <see cref="ArgumentPath"/> matches the regular expression <see cref="Pattern"/>
/// anywhere in its text (anchor with <c>^</c> and <c>$</c> for a whole match).
/// </summary>
/// <remarks>
/// The expression runs with <see cref="RegexOptions.NonBacktracking"/> and <see cref="RegexOptions.CultureInvariant"/>:
/// matching time is linear in the input, so a hostile argument cannot stall the gate; constructs that need
/// backtracking (back-references, look-arounds) are rejected when the policy is built. A string argument is
/// matched on its value, a number on its JSON text (<c>4000.5</c>), a boolean on <c>true</c>/<c>false</c>.
/// A missing argument, <c>null</c>, an object or an array means the condition <em>cannot be evaluated</em>:
/// <see cref="PolicyEvaluator"/> then never allows the call, as for <see cref="AmountOverCondition"/>.
/// </remarks>
public sealed class ArgumentMatchCondition : PolicyCondition
{
    private const int StackLimit = 256;
    private readonly ArgumentPath _path;
    private readonly Regex _regex;
    private readonly string _formula;

    internal ArgumentMatchCondition(ArgumentPath path, string pattern, Regex regex)
    {
        _path = path;
        Pattern = pattern;
        _regex = regex;
        _formula = $"match_args({path.Text}, '{pattern}')";
    }

    /// <summary>Gets the path of the argument, for example <c>customer_id</c> or <c>target.host</c>.</summary>
    public string ArgumentPath => _path.Text;

    /// <summary>Gets the regular expression.</summary>
    public string Pattern { get; }

    internal const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <inheritdoc/>
    public override bool IsSatisfiedBy(JsonElement arguments) => Evaluate(arguments) == ConditionOutcome.Holds;

    internal override ConditionOutcome Evaluate(JsonElement arguments, StringBuilder? why = null, IReadOnlyList<ArgumentPath>? hidden = null)
    {
        if (!_path.TryResolve(arguments, out var value))
        {
            return ConditionReasons.CannotEvaluate(why, _formula, _path, null, "text", hidden);
        }

        bool matches;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
                matches = raw.IndexOf((byte)'\\') >= 0 ? _regex.IsMatch(value.GetString().AsSpan()) : IsMatch(raw);
                break;
            case JsonValueKind.Number:
                matches = IsMatch(JsonMarshal.GetRawUtf8Value(value));
                break;
            case JsonValueKind.True:
                matches = _regex.IsMatch("true");
                break;
            case JsonValueKind.False:
                matches = _regex.IsMatch("false");
                break;
            default:
                return ConditionReasons.CannotEvaluate(why, _formula, _path, value, "text", hidden);
        }

        return matches ? ConditionOutcome.Holds : ConditionOutcome.Fails;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ArgumentPath} matches '{Pattern}'";

    // Quotes the pattern, never the value: the value may be a secret that is redacted elsewhere.
    internal override void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden) =>
        text.Append(_path.Text).Append(" matches '").Append(Pattern).Append('\'');

    private bool IsMatch(ReadOnlySpan<byte> utf8)
    {
        char[]? rented = null;
        var buffer = utf8.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, buffer);
            return _regex.IsMatch(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
