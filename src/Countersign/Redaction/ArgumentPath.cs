using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Countersign.Redaction;

/// <summary>
/// A parsed path into an action's JSON arguments: <c>body</c>, <c>card.number</c>, <c>items[0].ssn</c>,
/// <c>items[*].ssn</c>, <c>..ssn</c> (the field at any depth, as JSONPath writes it), optionally written with a
/// leading <c>$</c>. Field names are matched case-sensitively.
/// </summary>
internal sealed class ArgumentPath
{
    private ArgumentPath(string text, ArgumentPathStep[] steps)
    {
        Text = text;
        Steps = steps;
        foreach (var step in steps)
        {
            HasWildcard |= step.Kind == ArgumentPathStepKind.EveryElement;
            HasAnyDepth |= step.Kind == ArgumentPathStepKind.AnyDepth;
        }
    }

    /// <summary>Gets the path as it was written.</summary>
    public string Text { get; }

    /// <summary>Gets the steps from the root of the arguments.</summary>
    public ArgumentPathStep[] Steps { get; }

    /// <summary>Gets whether the path contains <c>[*]</c> and so may select several values.</summary>
    public bool HasWildcard { get; }

    /// <summary>Gets whether the path contains <c>..</c> and so may select several values.</summary>
    public bool HasAnyDepth { get; }

    /// <summary>Parses a path, or explains why it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ArgumentPath? path, [NotNullWhen(false)] out string? problem)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "a path must not be empty";
            return false;
        }

        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            problem = $"'{text}' is not a valid path: it starts or ends with whitespace";
            return false;
        }

        var steps = new List<ArgumentPathStep>();
        var position = 0;
        var expectName = true;
        var anyDepth = false;
        if (text.StartsWith("..", StringComparison.Ordinal))
        {
            position = 2;
            anyDepth = true;
        }
        else if (text[0] == '$')
        {
            if (text.Length == 1)
            {
                problem = "'$' is not a valid path: it names the whole arguments, not a field";
                return false;
            }

            if (text.AsSpan(1).StartsWith("..", StringComparison.Ordinal))
            {
                position = 3;
                anyDepth = true;
            }
            else if (text[1] == '.')
            {
                position = 2;
            }
            else if (text[1] == '[')
            {
                position = 1;
                expectName = false;
            }
            else
            {
                problem = $"'{text}' is not a valid path: '$' must be followed by '.' or '['";
                return false;
            }
        }
        else if (text[0] == '[')
        {
            expectName = false;
        }

        while (true)
        {
            if (expectName)
            {
                var end = position;
                while (end < text.Length && text[end] is not ('.' or '[' or ']'))
                {
                    end++;
                }

                if (end == position)
                {
                    problem = anyDepth
                        ? $"'{text}' is not a valid path: '..' must be followed by a field name at position {position + 1}"
                        : $"'{text}' is not a valid path: a field name is missing at position {position + 1}";
                    return false;
                }

                if (end < text.Length && text[end] == ']')
                {
                    problem = $"'{text}' is not a valid path: ']' at position {end + 1} closes no '['";
                    return false;
                }

                steps.Add(anyDepth ? ArgumentPathStep.AnyDepth(text[position..end]) : ArgumentPathStep.Property(text[position..end]));
                anyDepth = false;
                position = end;
            }
            else
            {
                var close = text.IndexOf(']', position);
                if (close < 0)
                {
                    problem = $"'{text}' is not a valid path: the '[' at position {position + 1} is never closed";
                    return false;
                }

                var inside = text.AsSpan(position + 1, close - position - 1);
                if (inside is "*")
                {
                    steps.Add(ArgumentPathStep.EveryElement);
                }
                else if (inside.Length > 0 && IsAsciiDigits(inside)
                    && int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(ArgumentPathStep.AtIndex(index));
                }
                else
                {
                    problem = $"'{text}' is not a valid path: '[{inside}]' must be an index like [0] or [*]";
                    return false;
                }

                position = close + 1;
            }

            if (position == text.Length)
            {
                break;
            }

            if (text[position] == '.')
            {
                position++;
                expectName = true;
                anyDepth = position < text.Length && text[position] == '.';
                position += anyDepth ? 1 : 0;
                if (position == text.Length)
                {
                    problem = $"'{text}' is not a valid path: it ends with '{(anyDepth ? ".." : ".")}'";
                    return false;
                }
            }
            else if (text[position] == '[')
            {
                expectName = false;
            }
            else
            {
                problem = $"'{text}' is not a valid path: expected '.' or '[' at position {position + 1}";
                return false;
            }
        }

        path = new ArgumentPath(text, [.. steps]);
        problem = null;
        return true;
    }

    /// <summary>Parses a path that is known to be valid.</summary>
    public static ArgumentPath Parse(string text) =>
        TryParse(text, out var path, out var problem) ? path : throw new ArgumentException(problem, nameof(text));

    /// <summary>Finds the single value this path selects. A path with <c>[*]</c> or <c>..</c> never resolves.</summary>
    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in Steps)
        {
            switch (step.Kind)
            {
                case ArgumentPathStepKind.Property:
                    if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(step.Utf8Name, out value))
                    {
                        return false;
                    }

                    break;
                case ArgumentPathStepKind.Index:
                    if (value.ValueKind != JsonValueKind.Array || step.Index >= value.GetArrayLength())
                    {
                        return false;
                    }

                    value = value[step.Index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether masking this path hides the value at <paramref name="other"/>: this path selects <paramref name="other"/>
    /// itself or one of its ancestors.
    /// </summary>
    public bool Covers(ArgumentPath other) => Covers(0, other.Steps, 0);

    public override string ToString() => Text;

    private bool Covers(int step, ArgumentPathStep[] concrete, int at)
    {
        if (step == Steps.Length)
        {
            return true;
        }

        if (at == concrete.Length)
        {
            return false;
        }

        // '..name' matches the field right here, or skips one more level and looks again.
        return (Steps[step].Covers(concrete[at]) && Covers(step + 1, concrete, at + 1))
            || (Steps[step].Kind == ArgumentPathStepKind.AnyDepth && Covers(step, concrete, at + 1));
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
