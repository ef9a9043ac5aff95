using System.Text;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>A condition that always holds; it states in a policy that a rule applies to every matching call.</summary>
public sealed class AlwaysCondition : PolicyCondition
{
    private AlwaysCondition()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static AlwaysCondition Instance { get; } = new();

    /// <inheritdoc/>
    public override bool IsSatisfiedBy(JsonElement arguments) => true;

    /// <inheritdoc/>
    public override string ToString() => "always";

    internal override void AppendReason(StringBuilder text, JsonElement arguments, IReadOnlyList<ArgumentPath> hidden) =>
        text.Append("always");
}
