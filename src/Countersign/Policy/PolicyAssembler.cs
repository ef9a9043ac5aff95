using System.Globalization;
using System.Text.RegularExpressions;
using Countersign.Approvals;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// Checks a <see cref="PolicySpec"/> and builds the immutable <see cref="ActionPolicy"/>, collecting every problem
/// rather than stopping at the first. Shared by <see cref="PolicyBuilder"/> and <see cref="PolicyLoader"/> so code and
/// files obey the same rules.
/// </summary>
internal static class PolicyAssembler
{
    public static ActionPolicy? Assemble(PolicySpec spec, List<PolicyProblem> problems)
    {
        var before = problems.Count;
        if (spec.DefaultTimeout is { } defaultTimeout && defaultTimeout <= TimeSpan.Zero)
        {
            problems.Add(new PolicyProblem(null, "default_timeout", $"must be more than 0 seconds, got {Seconds(defaultTimeout)}"));
        }

        if (spec.Name is not null && string.IsNullOrWhiteSpace(spec.Name))
        {
            problems.Add(new PolicyProblem(null, "name", "must not be empty"));
        }

        var policyRedact = ParsePaths(spec.RedactPaths, null, problems);
        var rules = new List<PolicyRule>(spec.Rules.Count);
        var names = new Dictionary<string, RuleSpec>(StringComparer.Ordinal);
        foreach (var ruleSpec in spec.Rules)
        {
            var rule = AssembleRule(ruleSpec, problems);
            var name = string.IsNullOrWhiteSpace(ruleSpec.Name) ? RuleSpec.AutoName(ruleSpec.Index) : ruleSpec.Name;
            if (names.TryGetValue(name, out var first))
            {
                problems.Add(new PolicyProblem(ruleSpec, "name", $"the name '{name}' is already used by {RuleSpec.AutoName(first.Index)}"));
            }
            else
            {
                names.Add(name, ruleSpec);
            }

            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        var scopes = CheckScopes(spec, problems);
        if (problems.Count > before)
        {
            return null;
        }

        return new ActionPolicy(
            spec.Name ?? "policy",
            Array.AsReadOnly(rules.ToArray()),
            spec.DefaultEffect ?? PolicyEffect.RequireApproval,
            spec.DefaultTimeout,
            policyRedact,
            scopes);
    }

    private static Dictionary<string, IReadOnlyList<string>> CheckScopes(PolicySpec spec, List<PolicyProblem> problems)
    {
        var scopes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (agent, tools) in spec.Scopes)
        {
            var field = $"scopes.{agent}";
            if (string.IsNullOrWhiteSpace(agent) || Text.ReviewerText.ContainsUnsafeCharacter(agent))
            {
                problems.Add(new PolicyProblem(null, field, "an agent id must be a non-empty name without control or format characters"));
            }

            foreach (var tool in tools)
            {
                if (string.IsNullOrWhiteSpace(tool) || Text.ReviewerText.ContainsUnsafeCharacter(tool))
                {
                    problems.Add(new PolicyProblem(null, field, $"'{Text.ReviewerText.Neutralize(tool, 100)}' is not a tool name or glob (empty, or control or format characters)"));
                }
            }

            scopes[agent] = Array.AsReadOnly(tools.ToArray());
        }

        return scopes;
    }

    private static PolicyRule? AssembleRule(RuleSpec spec, List<PolicyProblem> problems)
    {
        var before = problems.Count;
        if (spec.Name is not null && string.IsNullOrWhiteSpace(spec.Name))
        {
            problems.Add(new PolicyProblem(spec, "name", "must not be empty"));
        }

        if (spec.Tool is null)
        {
            if (!spec.InvalidFields.Contains("tool"))
            {
                problems.Add(new PolicyProblem(spec, "tool", "missing: every rule needs a tool (an exact name, a glob such as 'delete_*', or '*')"));
            }
        }
        else if (string.IsNullOrWhiteSpace(spec.Tool))
        {
            problems.Add(new PolicyProblem(spec, "tool", "must not be empty (use '*' for a fallback rule)"));
        }

        if (spec.Agent is not null && string.IsNullOrWhiteSpace(spec.Agent))
        {
            problems.Add(new PolicyProblem(spec, "agent", "must not be empty (leave it out to match every agent)"));
        }

        PolicyEffect? effect = null;
        if (spec.Effects.Count == 0)
        {
            if (!spec.InvalidFields.Contains("effect"))
            {
                problems.Add(new PolicyProblem(spec, "effect", "missing: say allow, require_approval or deny"));
            }
        }
        else if (spec.Effects.Count > 1)
        {
            problems.Add(new PolicyProblem(spec, "effect", $"set more than once ({string.Join(", then ", spec.Effects.Select(EffectName))})"));
        }
        else
        {
            effect = spec.Effects[0];
        }

        var conditions = new List<PolicyCondition>(spec.Conditions.Count);
        foreach (var condition in spec.Conditions)
        {
            var built = AssembleCondition(spec, condition, problems);
            if (built is not null)
            {
                conditions.Add(built);
            }
        }

        if (spec.Quorum is { } quorum)
        {
            if (quorum < 1)
            {
                problems.Add(new PolicyProblem(spec, "quorum", $"must be an integer ≥ 1, got {quorum.ToString(CultureInfo.InvariantCulture)}"));
            }

            RequireApprovalEffect(spec, effect, "quorum", problems);
        }

        var roles = new List<string>();
        if (spec.ReviewerRoles is { } reviewerRoles)
        {
            foreach (var role in reviewerRoles)
            {
                if (string.IsNullOrWhiteSpace(role))
                {
                    problems.Add(new PolicyProblem(spec, "reviewer_roles", "role names must not be empty"));
                }
                else if (!roles.Contains(role, StringComparer.Ordinal))
                {
                    roles.Add(role);
                }
            }

            RequireApprovalEffect(spec, effect, "reviewer_roles", problems);
        }

        if (spec.Timeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
            {
                problems.Add(new PolicyProblem(spec, "timeout", $"must be more than 0 seconds, got {Seconds(timeout)}"));
            }

            RequireApprovalEffect(spec, effect, "timeout", problems);
        }

        if (spec.Reason is not null)
        {
            if (string.IsNullOrWhiteSpace(spec.Reason))
            {
                problems.Add(new PolicyProblem(spec, "reason", "must not be empty (leave it out for a default reason)"));
            }

            if (effect is not null and not PolicyEffect.Deny)
            {
                problems.Add(new PolicyProblem(spec, "reason", $"only applies to deny rules, but the effect is {EffectName(effect.Value)}"));
            }
        }

        var redact = ParsePaths(spec.RedactPaths, spec, problems);
        if (problems.Count > before || effect is null)
        {
            return null;
        }

        var name = string.IsNullOrWhiteSpace(spec.Name) ? RuleSpec.AutoName(spec.Index) : spec.Name;
        var denyReason = effect == PolicyEffect.Deny
            ? spec.Reason ?? $"rule '{name}' denies calls to '{spec.Tool}'"
            : null;
        return new PolicyRule(
            name,
            spec.Tool!,
            spec.Agent,
            Array.AsReadOnly(conditions.ToArray()),
            effect.Value,
            denyReason,
            spec.Risk ?? RiskLevel.Medium,
            spec.Timeout,
            redact,
            spec.Quorum ?? 1,
            Array.AsReadOnly(roles.ToArray()));
    }

    private static PolicyCondition? AssembleCondition(RuleSpec rule, ConditionSpec spec, List<PolicyProblem> problems)
    {
        switch (spec.Kind)
        {
            case ConditionKind.Always:
                return AlwaysCondition.Instance;
            case ConditionKind.Predicate:
                return new PredicateCondition(spec.Predicate!, spec.Description);
            case ConditionKind.AmountOver:
            {
                var path = ParseConditionPath(rule, spec, problems);
                if (spec.Threshold < 0)
                {
                    problems.Add(new PolicyProblem(rule, spec.Field, $"threshold must be 0 or more, got {spec.Threshold.ToString(CultureInfo.InvariantCulture)}", spec.PositionKey));
                    return null;
                }

                return path is null ? null : new AmountOverCondition(path, spec.Threshold);
            }

            default:
            {
                var path = ParseConditionPath(rule, spec, problems);
                Regex regex;
                try
                {
                    regex = new Regex(spec.Pattern!, ArgumentMatchCondition.Options);
                }
                catch (ArgumentException ex)
                {
                    problems.Add(new PolicyProblem(rule, spec.Field, $"the pattern for '{spec.ArgumentPath}' is not a valid regular expression: {ex.Message}", spec.PositionKey));
                    return null;
                }
                catch (NotSupportedException ex)
                {
                    problems.Add(new PolicyProblem(rule, spec.Field, $"the pattern for '{spec.ArgumentPath}' needs backtracking, which policies do not allow: {ex.Message}", spec.PositionKey));
                    return null;
                }

                return path is null ? null : new ArgumentMatchCondition(path, spec.Pattern!, regex);
            }
        }
    }

    private static ArgumentPath? ParseConditionPath(RuleSpec rule, ConditionSpec spec, List<PolicyProblem> problems)
    {
        if (!ArgumentPath.TryParse(spec.ArgumentPath, out var path, out var problem))
        {
            problems.Add(new PolicyProblem(rule, spec.Field, problem, spec.PositionKey));
            return null;
        }

        if (path.HasWildcard || path.HasAnyDepth)
        {
            var several = path.HasWildcard ? "selects every array element ([*])" : "looks for the field at any depth (..)";
            problems.Add(new PolicyProblem(rule, spec.Field, $"'{path.Text}' {several}; a condition needs one value", spec.PositionKey));
            return null;
        }

        return path;
    }

    private static ArgumentPath[] ParsePaths(List<string> texts, RuleSpec? rule, List<PolicyProblem> problems)
    {
        var paths = new List<ArgumentPath>(texts.Count);
        foreach (var text in texts)
        {
            if (!ArgumentPath.TryParse(text, out var path, out var problem))
            {
                problems.Add(new PolicyProblem(rule, "redact_fields", problem));
            }
            else if (!paths.Exists(p => p.Text == path.Text))
            {
                paths.Add(path);
            }
        }

        return [.. paths];
    }

    private static void RequireApprovalEffect(RuleSpec spec, PolicyEffect? effect, string field, List<PolicyProblem> problems)
    {
        if (effect is not null and not PolicyEffect.RequireApproval)
        {
            problems.Add(new PolicyProblem(spec, field, $"only applies to require_approval rules, but the effect is {EffectName(effect.Value)}"));
        }
    }

    internal static string EffectName(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Deny => "deny",
        _ => "require_approval",
    };

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
