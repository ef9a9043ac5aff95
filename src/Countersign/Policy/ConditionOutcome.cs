namespace Countersign.Policy;

/// <summary>What testing a <see cref="PolicyCondition"/> against one call's arguments found.</summary>
internal enum ConditionOutcome
{
    /// <summary>The condition holds.</summary>
    Holds,

    /// <summary>The condition does not hold.</summary>
    Fails,

    /// <summary>The condition cannot be evaluated: the argument is missing, or not of a type it can judge.</summary>
    Indeterminate,
}
