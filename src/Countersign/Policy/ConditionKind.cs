namespace Countersign.Policy;

/// <summary>The kinds of <see cref="ConditionSpec"/>.</summary>
internal enum ConditionKind
{
    AmountOver,
    ArgumentMatch,
    Predicate,
    Always,
}
