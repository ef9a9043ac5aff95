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
/// <item>A rule whose conditions cannot all be evaluated (a missing argument, <c>"lots"</c> for an amount), none of
/// them failing, is <em>undecided</em>. It never lets a call through: the verdict below is reached as if the rule did
/// not apply, then raised to at least RequireApproval, or to Deny for a deny rule, with a reason that says what could
/// not be evaluated. Its approval settings and redaction paths count as if it applied.</item>
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
                rule.SoloDecision = Compose([i], [], default);
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
        var buffer = _rules.Length <= StackLimit
            ? stackalloc int[_rules.Length]
            : (rented = ArrayPool<int>.Shared.Rent(_rules.Length)).AsSpan(0, _rules.Length);
        try
        {
            var found = _candidatesByTool.TryGetValue(request.ToolName, out var candidates)
                ? Collect(candidates, request, buffer, default, matchTool: false)
                : Collect(_globRules, request, buffer, default, matchTool: true);
            if (found.Applicable == 0)
            {
                found = Collect(_fallbackRules, request, buffer, found, matchTool: false);
            }

            if (found.Undecided == 0)
            {
                if (found.Applicable == 0)
                {
                    return _defaultDecision;
                }

                if (found.Applicable == 1 && _rules[buffer[0]].SoloDecision is { } solo)
                {
                    return solo;
                }
            }

            return Compose(buffer[..found.Applicable], buffer[^found.Undecided..], request.Arguments);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    // Applicable rules fill the buffer from the front, undecided ones from the back; a rule is a candidate once.
    private Found Collect(int[] candidates, ActionRequest request, Span<int> buffer, Found found, bool matchTool)
    {
        var (applicable, undecided) = found;
        foreach (var index in candidates)
        {
            var rule = _rules[index];
            if (matchTool && !rule.Tool.IsMatch(request.ToolName))
            {
                continue;
            }

            switch (rule.Test(request))
            {
                case ConditionOutcome.Holds:
                    buffer[applicable++] = index;
                    break;
                case ConditionOutcome.Indeterminate:
                    buffer[^++undecided] = index;
                    break;
            }
        }

        return new Found(applicable, undecided);
    }

    private PolicyDecision Compose(ReadOnlySpan<int> applicable, ReadOnlySpan<int> undecided, JsonElement arguments)
    {
        var matched = new int[applicable.Length + undecided.Length];
        applicable.CopyTo(matched);
        undecided.CopyTo(matched.AsSpan(applicable.Length));
        Array.Sort(matched);

        // With no rule applying, the fallbacks and the default still decide; undecided rules can only raise that.
        var fromDefault = applicable.IsEmpty;
        var effect = fromDefault ? Policy.DefaultEffect : PolicyEffect.Allow;
        var redact = new List<ArgumentPath>(Policy.ParsedRedactPaths);
        foreach (var index in matched)
        {
            effect = Strictest(effect, EffectOf(index, undecided));
            foreach (var path in _rules[index].Rule.ParsedRedactPaths)
            {
                if (!redact.Exists(p => p.Text == path.Text))
                {
                    redact.Add(path);
                }
            }
        }

        var reasons = new List<string>();
        var risk = RiskLevel.Low;
        TimeSpan? timeout = null;
        var quorum = 1;
        List<string>? roles = null;
        var roleSources = new List<PolicyRule>();
        foreach (var index in matched)
        {
            if (EffectOf(index, undecided) != effect)
            {
                continue;
            }

            var compiled = _rules[index];
            var rule = compiled.Rule;
            var isUndecided = undecided.Contains(index);
            risk = rule.Risk > risk ? rule.Risk : risk;
            switch (effect)
            {
                case PolicyEffect.Deny:
                    reasons.Add(isUndecided ? compiled.DenyReason(arguments, redact) : rule.DenyReason!);
                    break;
                case PolicyEffect.RequireApproval:
                    reasons.Add(isUndecided ? compiled.HeldReason(arguments, redact) : compiled.ApprovalReason(arguments, redact));
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

        if (fromDefault && reasons.Count == 0)
        {
            // Only the default gives this verdict: the undecided rules asked for less than it does.
            reasons.AddRange(_defaultDecision.Reasons);
            risk = _defaultDecision.Risk;
        }

        var names = Array.ConvertAll(matched, i => _rules[i].Rule.Name);
        var redactTexts = ReadOnly(redact.ConvertAll(static p => p.Text));
        if (roles is { Count: 0 })
        {
            return new PolicyDecision
            {
                Effect = PolicyEffect.Deny,
                Reasons = ReadOnly([NoCommonRoleReason(roleSources)]),
                MatchedRules = Array.AsReadOnly(names),
                Risk = risk,
                RedactPaths = redactTexts,
            };
        }

        return new PolicyDecision
        {
            Effect = effect,
            Reasons = ReadOnly(reasons),
            MatchedRules = Array.AsReadOnly(names),
            Risk = risk,
            Timeout = effect == PolicyEffect.RequireApproval ? timeout ?? Policy.DefaultTimeout : null,
            Quorum = quorum,
            ReviewerRoles = roles is null ? [] : ReadOnly(roles),
            RedactPaths = redactTexts,
        };
    }

    // An undecided rule never allows: it counts as at least require_approval.
    private PolicyEffect EffectOf(int index, ReadOnlySpan<int> undecided)
    {
        var effect = _rules[index].Rule.Effect;
        return undecided.Contains(index) ? Strictest(effect, PolicyEffect.RequireApproval) : effect;
    }

    private static PolicyEffect Strictest(PolicyEffect a, PolicyEffect b) => a == PolicyEffect.Deny || b == PolicyEffect.Deny
        ? PolicyEffect.Deny
        : a == PolicyEffect.RequireApproval || b == PolicyEffect.RequireApproval ? PolicyEffect.RequireApproval : PolicyEffect.Allow;

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

    private readonly record struct Found(int Applicable, int Undecided);
}
