using System.Text;
using System.Text.Json;
using Countersign.Redaction;
using Countersign.Text;

namespace Countersign.Policy;

/// <summary>
/// The wording shared by the conditions on one argument (<see cref="AmountOverCondition"/>,
/// <see cref="ArgumentMatchCondition"/>): what a reason may quote, and why a condition could not be evaluated.
/// </summary>
internal static class ConditionReasons
{
    // Enough to recognise a value; reasons are stored, audited and shown to reviewers.
    private const int QuotedLength = 64;

    /// <summary>Whether masking one of <paramref name="hidden"/> hides the value at <paramref name="path"/>.</summary>
    public static bool IsHidden(ArgumentPath path, IReadOnlyList<ArgumentPath>? hidden)
    {
        if (hidden is not null)
        {
            foreach (var hiding in hidden)
            {
                if (hiding.Covers(path))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Appends to <paramref name="why"/>, when given, <c>{condition} could not be evaluated: {problem}</c>, the problem
    /// naming what the argument is instead of <paramref name="expected"/>; a value is quoted only when it is text that
    /// no path in <paramref name="hidden"/> masks.
    /// </summary>
    /// <returns><see cref="ConditionOutcome.Indeterminate"/>, for the caller to return.</returns>
    public static ConditionOutcome CannotEvaluate(
        StringBuilder? why, string condition, ArgumentPath path, JsonElement? value, string expected, IReadOnlyList<ArgumentPath>? hidden)
    {
        if (why is null)
        {
            return ConditionOutcome.Indeterminate;
        }

        why.Append(condition).Append(" could not be evaluated: ");
        var kind = value?.ValueKind;
        if (kind == JsonValueKind.String && !IsHidden(path, hidden))
        {
            why.Append('\'').Append(ReviewerText.Neutralize(value!.Value.GetString(), QuotedLength)).Append("' is not ").Append(expected);
            return ConditionOutcome.Indeterminate;
        }

        why.Append(path.Text).Append(kind switch
        {
            null => " is missing",
            JsonValueKind.Null => " is null",
            JsonValueKind.Object => $" is an object, not {expected}",
            JsonValueKind.Array => $" is a list, not {expected}",
            JsonValueKind.True when !IsHidden(path, hidden) => $" is true, not {expected}",
            JsonValueKind.False when !IsHidden(path, hidden) => $" is false, not {expected}",
            _ => $" is not {expected}",
        });
        return ConditionOutcome.Indeterminate;
    }
}
