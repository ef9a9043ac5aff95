using Microsoft.Extensions.Options;

namespace Countersign.DependencyInjection;

/// <summary>
/// Validates <see cref="CountersignOptions"/> the options way, so a host fails at start-up with every problem listed
/// (registered with <c>ValidateOnStart</c> by <c>AddCountersign</c>).
/// </summary>
internal sealed class CountersignOptionsValidator : IValidateOptions<CountersignOptions>
{
    public ValidateOptionsResult Validate(string? name, CountersignOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
