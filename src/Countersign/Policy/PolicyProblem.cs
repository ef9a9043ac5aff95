namespace Countersign.Policy;

/// <summary>One thing wrong with a policy, found while checking it.</summary>
/// <param name="Rule">The rule it concerns, if any.</param>
/// <param name="Field">The field it concerns (as spelled in policy files), if any.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="PositionKey">Where the loader recorded the offending node; defaults to <paramref name="Field"/>.</param>
internal sealed record PolicyProblem(RuleSpec? Rule, string? Field, string Message, string? PositionKey = null)
{
    public string Describe()
    {
        var where = (Rule, Field) switch
        {
            (null, null) => string.Empty,
            (null, _) => $"field '{Field}': ",
            (_, null) => $"{Rule.Label}: ",
            _ => $"{Rule.Label} field '{Field}': ",
        };
        return where + Message;
    }
}
