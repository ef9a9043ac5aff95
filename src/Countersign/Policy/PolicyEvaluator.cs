using System.Buffers;
using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>
/// Decides calls against one <see cref="ActionPolicy"/>. Build it once and share it: it is immutable and thread-safe,
/// and a call that one rule decides alone costs no allocation.
/// </summary>
/// <remarks>
/// <para>How a decision is reached:</para>
/// <list type="number">
/// <item>A rule applies when its tool pattern matches the tool name, its agent pattern (if any) matches the agent id
/// (a missing id is matched as the empty string), and all its conditions hold.</item>
/// <item>Rules whose tool pattern is anything but <c>*</c> are considered first. Fallback rules (tool <c>*</c>) are
/// considered only when none of those applied.</item>
/// <item>Any applicable <see cref="PolicyEffect.Deny"/> rule → Deny, with every applicable deny rule's reason.</item>
/// <item>Otherwise any applicable <see cref="PolicyEffect.RequireApproval"/> rule → RequireApproval, merging those
/// rules: highest risk, shortest timeout, largest quorum, and the intersection of the non-empty reviewer role sets.
/// When that intersection is empty nobody could ever approve, so the call is denied at once with a reason saying so.</item>
/// <item>Otherwise any applicable <see cref="PolicyEffect.Allow"/> rule → Allow.</item>
/// <item>No rule applies → the policy's <see cref="ActionPolicy.DefaultEffect"/>.</item>
/// </list>
/// <para>The redaction paths of a decision are those of the policy plus those of every applicable rule, whatever its effect.</para>
/// </remarks>
public sealed class PolicyEvaluator
{
    private const int StackLimit = 256;
    private readonly CompiledRule[] _rules;
    private readonly FrozenDictionary<string, int[]> _candidatesByTool;
    private readonly int[] _globRules;
    private readonly int[] _fallbackRules;
    private readonly PolicyDecision _defaultDecision;

    /// <summary>Prepares <paramref name="policy"/> for evaluation.</summary>
    /// <param name="policy">The policy.</param>
    public PolicyEvaluator(ActionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _rules = new CompiledRule[policy.Rules.Count];
        var exact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var globs = new List<int>();
        var fallbacks = new List<int>();
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i] = new CompiledRule(policy.Rules[i]);
            if (rule.Rule.IsFallback)
            {
                fallbacks.Add(i);
            }
            else if (rule.Tool.IsExact)
            {
                if (!exact.TryGetValue(rule.Tool.Pattern, out var list))
                {
                    exact.Add(rule.Tool.Pattern, list = []);
                }

                list.Add(i);
            }
            else
            {
                globs.Add(i);
            }
        }

        // For a tool named by some exact rule the glob outcomes are fixed, so fold the matching globs in now and
        // skip glob matching for it at evaluation time.
        var candidates = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (tool, indices) in exact)
        {
            foreach (var glob in globs)
            {
                if (_rules[glob].Tool.IsMatch(tool))
                {
                    indices.Add(glob);
                }
            }

            indices.Sort();
            candidates.Add(tool, [.. indices]);
        }

        _candidatesByTool = candidates.ToFrozenDictionary(StringComparer.Ordinal);
        _globRules = [.. globs];
        _fallbackRules = [.. fallbacks];
        _defaultDecision = CreateDefaultDecision(policy);
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.Rule.Effect != PolicyEffect.RequireApproval || !rule.ReasonQuotesArguments)
            {
                rule.SoloDecision = Compose([i], default);
            }
        }
    }

    /// <summary>Gets the policy this evaluator decides with.</summary>
    public ActionPolicy Policy { get; }

    /// <summary>Decides one call.</summary>
    /// <param name="request">The proposed call.</param>
    /// <returns>The verdict, the rules that applied, and the approval settings when it needs approval.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public PolicyDecision Evaluate(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        int[]? rented = null;
        var applicable = _rules.Length <= StackLimit
            ? stackalloc int[_rules.Length]
            : (rented = ArrayPool<int>.Shared.Rent(_rules.Length));
        try
        {
            var count = _candidatesByTool.TryGetValue(request.ToolName, out var candidates)
                ? Collect(candidates, request, applicable, matchTool: false)
                : Collect(_globRules, request, applicable, matchTool: true);
            if (count == 0)
            {
                count = Collect(_fallbackRules, request, applicable, matchTool: false);
            }

            if (count == 0)
            {
                return _defaultDecision;
            }

            if (count == 1 && _rules[applicable[0]].SoloDecision is { } solo)
            {
                return solo;
            }

            return Compose(applicable[..count], request.Arguments);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private int Collect(int[] candidates, ActionRequest request, Span<int> applicable, bool matchTool)
    {
        var count = 0;
        foreach (var index in candidates)
        {
            var rule = _rules[index];
            if ((!matchTool || rule.Tool.IsMatch(request.ToolName)) && rule.Applies(request))
            {
                applicable[count++] = index;
            }
        }

        return count;
    }

    private PolicyDecision Compose(ReadOnlySpan<int> applicable, JsonElement arguments)
    {
        var matched = new string[applicable.Length];
        var redact = new List<ArgumentPath>(Policy.ParsedRedactPaths);
        var anyDeny = false;
        var anyApproval = false;
        for (var i = 0; i < applicable.Length; i++)
        {
            var rule = _rules[applicable[i]].Rule;
            matched[i] = rule.Name;
            anyDeny |= rule.Effect == PolicyEffect.Deny;
            anyApproval |= rule.Effect == PolicyEffect.RequireApproval;
            foreach (var path in rule.ParsedRedactPaths)
            {
                if (!redact.Exists(p => p.Text == path.Text))
                {
                    redact.Add(path);
                }
            }
        }

        var effect = anyDeny ? PolicyEffect.Deny : anyApproval ? PolicyEffect.RequireApproval : PolicyEffect.Allow;
        var reasons = new List<string>();
        var risk = RiskLevel.Low;
        TimeSpan? timeout = null;
        var quorum = 1;
        List<string>? roles = null;
        var roleSources = new List<PolicyRule>();
        foreach (var index in applicable)
        {
            var compiled = _rules[index];
            var rule = compiled.Rule;
            if (rule.Effect != effect)
            {
                continue;
            }

            risk = rule.Risk > risk ? rule.Risk : risk;
            switch (effect)
            {
                case PolicyEffect.Deny:
                    reasons.Add(rule.DenyReason!);
                    break;
                case PolicyEffect.RequireApproval:
                    reasons.Add(compiled.ApprovalReason(arguments, redact));
                    if (rule.Timeout is { } ruleTimeout && (timeout is null || ruleTimeout < timeout))
                    {
                        timeout = ruleTimeout;
                    }

                    quorum = Math.Max(quorum, rule.Quorum);
                    if (rule.ReviewerRoles.Count > 0)
                    {
                        roleSources.Add(rule);
                        roles = roles is null
                            ? [.. rule.ReviewerRoles]
                            : roles.FindAll(role => rule.ReviewerRoles.Contains(role, StringComparer.Ordinal));
                    }

                    break;
            }
        }

        var redactTexts = ReadOnly(redact.ConvertAll(static p => p.Text));
        if (roles is { Count: 0 })
        {
            return new PolicyDecision
            {
                Effect = PolicyEffect.Deny,
                Reasons = ReadOnly([NoCommonRoleReason(roleSources)]),
                MatchedRules = Array.AsReadOnly(matched),
                Risk = risk,
                RedactPaths = redactTexts,
            };
        }

        return new PolicyDecision
        {
            Effect = effect,
            Reasons = ReadOnly(reasons),
            MatchedRules = Array.AsReadOnly(matched),
            Risk = risk,
            Timeout = effect == PolicyEffect.RequireApproval ? timeout ?? Policy.DefaultTimeout : null,
            Quorum = quorum,
            ReviewerRoles = roles is null ? [] : ReadOnly(roles),
            RedactPaths = redactTexts,
        };
    }

    private static string NoCommonRoleReason(List<PolicyRule> rules) =>
        "no reviewer could ever approve this call: the reviewer roles of "
        + string.Join(" and ", rules.Select(static r => $"rule '{r.Name}' ({string.Join(", ", r.ReviewerRoles)})"))
        + " have no role in common";

    private static PolicyDecision CreateDefaultDecision(ActionPolicy policy)
    {
        var redact = policy.RedactPaths;
        return policy.DefaultEffect switch
        {
            PolicyEffect.Allow => new PolicyDecision { Effect = PolicyEffect.Allow, RedactPaths = redact },
            PolicyEffect.Deny => new PolicyDecision
            {
                Effect = PolicyEffect.Deny,
                Reasons = ReadOnly(["no rule applies to this call, and the policy denies such calls by default"]),
                RedactPaths = redact,
            },
            _ => new PolicyDecision
            {
                Effect = PolicyEffect.RequireApproval,
                Reasons = ReadOnly(["no rule applies to this call, and the policy requires approval for such calls by default"]),
                Timeout = policy.DefaultTimeout,
                RedactPaths = redact,
            },
        };
    }

    private static ReadOnlyCollection<string> ReadOnly(List<string> items) => items.AsReadOnly();
}
