using System.Text.Json;
using Countersign.Approvals;

namespace Countersign.Policy;

/// <summary>
/// Configures one rule of a <see cref="PolicyBuilder"/>: an optional name and agent pattern, its conditions (all must
/// hold), exactly one effect, and the approval settings. Problems are reported by <see cref="PolicyBuilder.Build"/>.
/// </summary>
public sealed class PolicyRuleBuilder
{
    private readonly RuleSpec _spec;

    internal PolicyRuleBuilder(RuleSpec spec)
    {
        _spec = spec;
    }

    /// <summary>Names the rule; names are unique in a policy and appear in reasons and audit entries.</summary>
    /// <param name="name">The name.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _spec.Name = name;
        return this;
    }

    /// <summary>Restricts the rule to agents whose id matches <paramref name="agentPattern"/> (exact or glob).</summary>
    /// <param name="agentPattern">An exact agent id or a glob such as <c>billing-*</c>. A call without an agent id is matched as the empty string.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder ForAgent(string agentPattern)
    {
        ArgumentNullException.ThrowIfNull(agentPattern);
        _spec.Agent = agentPattern;
        return this;
    }

    /// <summary>Applies the rule only when the argument at <paramref name="argumentPath"/> is a number greater than <paramref name="threshold"/>.</summary>
    /// <param name="argumentPath">The argument, for example <c>amount</c> or <c>order.total</c>.</param>
    /// <param name="threshold">The amount to exceed; 0 or more.</param>
    /// <returns>This rule builder.</returns>
    /// <remarks>A missing or non-numeric argument makes the condition not hold; see <see cref="AmountOverCondition"/>.</remarks>
    public PolicyRuleBuilder WhenAmountOver(string argumentPath, decimal threshold)
    {
        ArgumentNullException.ThrowIfNull(argumentPath);
        _spec.Conditions.Add(new ConditionSpec
        {
            Kind = ConditionKind.AmountOver,
            Field = "amount_over",
            PositionKey = "amount_over",
            ArgumentPath = argumentPath,
            Threshold = threshold,
        });
        return this;
    }

    /// <summary>Applies the rule only when the argument at <paramref name="argumentPath"/> matches a regular expression.</summary>
    /// <param name="argumentPath">The argument, for example <c>customer_id</c>.</param>
    /// <param name="pattern">The regular expression, run without backtracking; see <see cref="ArgumentMatchCondition"/>.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder WhenArgumentMatches(string argumentPath, string pattern)
    {
        ArgumentNullException.ThrowIfNull(argumentPath);
        ArgumentNullException.ThrowIfNull(pattern);
        _spec.Conditions.Add(new ConditionSpec
        {
            Kind = ConditionKind.ArgumentMatch,
            Field = "match_args",
            PositionKey = "match_args",
            ArgumentPath = argumentPath,
            Pattern = pattern,
        });
        return this;
    }

    /// <summary>Applies the rule only when <paramref name="predicate"/> returns <see langword="true"/> for the call's arguments.</summary>
    /// <param name="predicate">The test; it must be thread-safe and should not allocate much, it runs on every matching call.</param>
    /// <param name="description">How reasons name the condition, for example <c>"USD over 100"</c>.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder When(Func<JsonElement, bool> predicate, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _spec.Conditions.Add(new ConditionSpec
        {
            Kind = ConditionKind.Predicate,
            Field = "require_if",
            PositionKey = "require_if",
            Predicate = predicate,
            Description = description,
        });
        return this;
    }

    /// <summary>States that the rule applies to every call it matches (the same as giving no condition).</summary>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Always()
    {
        _spec.Conditions.Add(new ConditionSpec { Kind = ConditionKind.Always, Field = "always", PositionKey = "always" });
        return this;
    }

    /// <summary>Lets matching calls run without a human (they are still audited).</summary>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Allow() => Effect(PolicyEffect.Allow);

    /// <summary>Holds matching calls until enough reviewers approve them.</summary>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder RequireApproval() => Effect(PolicyEffect.RequireApproval);

    /// <summary>Refuses matching calls; a deny always wins over allow and approval rules.</summary>
    /// <param name="reason">What the agent is told; without one a reason naming the rule is used.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Deny(string? reason = null)
    {
        _spec.Reason = reason;
        return Effect(PolicyEffect.Deny);
    }

    /// <summary>Sets the risk level shown to reviewers. Without this it is <see cref="RiskLevel.Medium"/>.</summary>
    /// <param name="risk">The risk level.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Risk(RiskLevel risk)
    {
        if (!Enum.IsDefined(risk))
        {
            throw new ArgumentOutOfRangeException(nameof(risk), risk, "Unknown risk level.");
        }

        _spec.Risk = risk;
        return this;
    }

    /// <summary>Sets how long reviewers have; nobody deciding in time means deny. Approval rules only.</summary>
    /// <param name="timeout">A positive duration.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Timeout(TimeSpan timeout)
    {
        _spec.Timeout = timeout;
        return this;
    }

    /// <summary>Sets how many distinct reviewers must approve. Approval rules only.</summary>
    /// <param name="quorum">1 or more.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Quorum(int quorum)
    {
        _spec.Quorum = quorum;
        return this;
    }

    /// <summary>Restricts who may review to holders of one of <paramref name="roles"/>. Approval rules only.</summary>
    /// <param name="roles">Role names.</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder ReviewerRoles(params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        (_spec.ReviewerRoles ??= []).AddRange(roles);
        return this;
    }

    /// <summary>Masks argument paths before the call is stored or logged, whatever the rule's effect.</summary>
    /// <param name="paths">Paths such as <c>body</c>, <c>card.number</c>, <c>items[*].ssn</c> or <c>..ssn</c> (at any depth).</param>
    /// <returns>This rule builder.</returns>
    public PolicyRuleBuilder Redact(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _spec.RedactPaths.AddRange(paths);
        return this;
    }

    private PolicyRuleBuilder Effect(PolicyEffect effect)
    {
        _spec.Effects.Add(effect);
        return this;
    }
}
