using System.Text.Json;

namespace Countersign.Policy;

/// <summary>A condition as written, before it is checked and compiled into a <see cref="PolicyCondition"/>.</summary>
internal sealed record ConditionSpec
{
    public required ConditionKind Kind { get; init; }

    /// <summary>Gets the policy-file field the condition came from, used to name it in errors.</summary>
    public required string Field { get; init; }

    /// <summary>Gets the key under which the loader recorded the condition's position.</summary>
    public required string PositionKey { get; init; }

    public string? ArgumentPath { get; init; }

    public decimal Threshold { get; init; }

    public string? Pattern { get; init; }

    public Func<JsonElement, bool>? Predicate { get; init; }

    public string? Description { get; init; }
}
