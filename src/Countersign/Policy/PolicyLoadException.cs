namespace Countersign.Policy;

/// <summary>
/// Thrown when a policy file cannot be loaded: malformed YAML or JSON, an unknown field, a value of the wrong type, or
/// a rule that breaks the policy rules. The message has one line per problem, in file order, each naming the file,
/// the line, the rule and the field: <c>refund.yaml(7): rule 'big-refunds' field 'quorum': must be an integer ≥ 1, got 'two'</c>.
/// </summary>
/// <remarks>It derives from <see cref="FormatException"/>, not <see cref="CountersignException"/>: a broken policy is
/// bad input given by the operator, not a decision Countersign made about a call.</remarks>
public sealed class PolicyLoadException : FormatException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="errors">The problems, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public PolicyLoadException(IReadOnlyList<PolicyLoadError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets every problem found, in file order; the properties below describe the first.</summary>
    public IReadOnlyList<PolicyLoadError> Errors { get; }

    /// <summary>Gets the file path, or the source name given for inline text.</summary>
    public string SourceName => Errors[0].SourceName;

    /// <summary>Gets the one-based line of the first problem.</summary>
    public int Line => Errors[0].Line;

    /// <summary>Gets the rule of the first problem (its name, or <c>rule[i]</c>), if it is in a rule.</summary>
    public string? Rule => Errors[0].Rule;

    /// <summary>Gets the field of the first problem, if it is in one.</summary>
    public string? Field => Errors[0].Field;

    /// <summary>Gets what is wrong, for the first problem.</summary>
    public string Problem => Errors[0].Problem;

    private static string BuildMessage(IReadOnlyList<PolicyLoadError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is needed.", nameof(errors));
        }

        return string.Join(Environment.NewLine, errors);
    }
}
