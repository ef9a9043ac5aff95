using System.Text;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// A condition written in code: a predicate over the call's arguments. It exists only in policies built with
/// <see cref="PolicyBuilder"/>; policy files cannot carry code.
/// </summary>
/// <remarks>An exception thrown by the predicate propagates out of <see cref="PolicyEvaluator.Evaluate"/>; the gate
/// then fails closed and denies the call.</remarks>
public sealed class PredicateCondition : PolicyCondition
{
    internal PredicateCondition(Func<JsonElement, bool> predicate, string? description)
    {
        Predicate = predicate;
        Description = description;
    }

    /// <summary>Gets the predicate.</summary>
    public Func<JsonElement, bool> Predicate { get; }

    /// <summary>Gets the text that names the condition in reasons, if one was given.</summary>
    public string? Description { get; }

    /// <inheritdoc/>
    public override bool IsSatisfiedBy(JsonElement arguments) => Predicate(arguments);

    /// <inheritdoc/>
    public override string ToString() => Description ?? "a custom condition";

    internal override void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden)
    {
        if (Description is null)
        {
            text.Append("a custom condition held");
        }
        else
        {
            text.Append("custom condition '").Append(Description).Append("' held");
        }
    }
}
