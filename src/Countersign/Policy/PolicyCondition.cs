using System.Text;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// A test on a call's arguments that must hold for a <see cref="PolicyRule"/> to apply. A rule applies only when
/// all of its conditions hold; a rule without conditions always applies.
/// </summary>
/// <remarks>The set of conditions is closed: <see cref="AmountOverCondition"/>, <see cref="ArgumentMatchCondition"/>,
/// <see cref="PredicateCondition"/> and <see cref="AlwaysCondition"/>.</remarks>
public abstract class PolicyCondition
{
    private protected PolicyCondition()
    {
    }

    /// <summary>Tests the condition against a call's arguments.</summary>
    /// <param name="arguments">The call's JSON arguments.</param>
    /// <returns><see langword="true"/> when the condition holds; <see langword="false"/> when it does not, and also
    /// when it cannot be evaluated (a missing argument, text where a number belongs), a case that
    /// <see cref="PolicyEvaluator"/> tells apart and never lets through.</returns>
    public abstract bool IsSatisfiedBy(JsonElement arguments);

    /// <summary>Tests the condition, telling a condition that does not hold from one that cannot be evaluated.</summary>
    /// <param name="arguments">The call's JSON arguments.</param>
    /// <param name="why">When given and the outcome is <see cref="ConditionOutcome.Indeterminate"/>, receives why:
    /// <c>amount_over(amount, 100) could not be evaluated: 'lots' is not a number</c>.</param>
    /// <param name="hidden">Paths whose values <paramref name="why"/> must not quote.</param>
    internal virtual ConditionOutcome Evaluate(JsonElement arguments, StringBuilder? why = null, IReadOnlyList<ArgumentPath>? hidden = null) =>
        IsSatisfiedBy(arguments) ? ConditionOutcome.Holds : ConditionOutcome.Fails;

    /// <summary>Gets whether the reason text quotes the arguments, so a decision that uses it cannot be cached.</summary>
    internal virtual bool ReasonQuotesArguments => false;

    /// <summary>Appends why the condition held, never quoting a value under one of <paramref name="hidden"/>.</summary>
    internal abstract void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden);
}
