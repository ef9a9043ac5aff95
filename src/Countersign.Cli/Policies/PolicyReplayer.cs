using System.Text.Json;
using Countersign.Audit;
using Countersign.Policy;
using Countersign.Redaction;

namespace Countersign.Cli.Policies;

/// <summary>
/// Replays recorded actions against a policy: each action's first decision entry (its recorded verdict and arguments,
/// as stored, redacted) is evaluated again and compared. A rule that could apply and tests a field recorded as
/// <see cref="JsonRedactor.Mask"/> makes the action unknowable: it is reported as such, never guessed.
/// </summary>
internal sealed class PolicyReplayer
{
    private const string MaskLiteral = "\"" + JsonRedactor.Mask + "\"";
    private readonly PolicyEvaluator _evaluator;
    private readonly int _exampleLimit;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly SensitiveRule[] _sensitiveRules;
    private readonly Dictionary<(string Tool, string Agent), SensitiveRule[]> _sensitiveByCall = [];
    private readonly Dictionary<ReplayChangeKind, long> _counts = [];
    private readonly List<ReplayChange> _examples = [];

    public PolicyReplayer(ActionPolicy policy, int exampleLimit)
    {
        _evaluator = new PolicyEvaluator(policy);
        _exampleLimit = exampleLimit;
        _sensitiveRules = [.. policy.Rules.Select(SensitiveRule.For).OfType<SensitiveRule>()];
    }

    /// <summary>Gets how many actions were replayed.</summary>
    public long Replayed { get; private set; }

    /// <summary>Gets how many decision entries could not be replayed (arguments that are not a JSON object).</summary>
    public long Unreadable { get; private set; }

    /// <summary>Gets the first changes found, up to the example limit.</summary>
    public IReadOnlyList<ReplayChange> Examples => _examples;

    public long Count(ReplayChangeKind kind) => _counts.GetValueOrDefault(kind);

    /// <summary>Offers the next audit record; only each action's first decision entry is replayed.</summary>
    public void Add(AuditRecord record)
    {
        var entry = record.Entry;
        if (entry.Kind is not (AuditEventKind.ApprovalRequested or AuditEventKind.Authorized or AuditEventKind.Outcome)
            || ParseVerdict(entry.Verdict) is not { } recorded
            || !_seen.Add(entry.ActionId))
        {
            return;
        }

        JsonDocument arguments;
        try
        {
            arguments = JsonDocument.Parse(entry.ArgumentsJson ?? "{}");
        }
        catch (JsonException)
        {
            Unreadable++;
            return;
        }

        using (arguments)
        {
            if (arguments.RootElement.ValueKind != JsonValueKind.Object)
            {
                Unreadable++;
                return;
            }

            Replayed++;
            Compare(record, recorded, arguments.RootElement);
        }
    }

    private void Compare(AuditRecord record, PolicyEffect recorded, JsonElement arguments)
    {
        var entry = record.Entry;
        var hidden = HiddenCondition(entry.ToolName, entry.AgentId, arguments);
        if (hidden is not null)
        {
            Note(new ReplayChange(ReplayChangeKind.Unknowable, record.Sequence, entry.ActionId, entry.ToolName, entry.AgentId, Name(recorded), "unknowable", hidden));
            return;
        }

        var decision = _evaluator.Evaluate(new ActionRequest { ToolName = entry.ToolName, AgentId = entry.AgentId, Arguments = arguments });
        var kind = decision.Effect == recorded
            ? ReplayChangeKind.Unchanged
            : decision.Effect switch
            {
                PolicyEffect.Allow => ReplayChangeKind.NewlyAllowed,
                PolicyEffect.Deny => ReplayChangeKind.NewlyDenied,
                _ => ReplayChangeKind.NewlyHeld,
            };
        var detail = decision.MatchedRules.Count == 0 ? "the policy's default" : "rules: " + string.Join(", ", decision.MatchedRules);
        Note(new ReplayChange(kind, record.Sequence, entry.ActionId, entry.ToolName, entry.AgentId, Name(recorded), Name(decision.Effect), detail));
    }

    private void Note(ReplayChange change)
    {
        _counts[change.Kind] = Count(change.Kind) + 1;
        if (change.Kind != ReplayChangeKind.Unchanged && _examples.Count < _exampleLimit)
        {
            _examples.Add(change);
        }
    }

    /// <summary>Names the first rule that could apply and tests a redacted field, or returns null.</summary>
    private string? HiddenCondition(string tool, string? agent, JsonElement arguments)
    {
        if (_sensitiveRules.Length == 0)
        {
            return null;
        }

        var key = (tool, agent ?? string.Empty);
        if (!_sensitiveByCall.TryGetValue(key, out var rules))
        {
            var probe = new ActionRequest { ToolName = tool, AgentId = agent };
            rules = _sensitiveByCall[key] = [.. _sensitiveRules.Where(r => r.Matches(probe))];
        }

        if (rules.Length == 0 || !arguments.GetRawText().Contains(MaskLiteral, StringComparison.Ordinal))
        {
            return null;
        }

        var recorded = new RecordedArguments(arguments);
        foreach (var rule in rules)
        {
            foreach (var path in rule.Paths)
            {
                if (recorded.IsMasked(path))
                {
                    return $"rule '{rule.Name}' tests '{path}', which was redacted when recorded";
                }
            }
        }

        return null;
    }

    private static PolicyEffect? ParseVerdict(string? verdict) => verdict switch
    {
        "allow" => PolicyEffect.Allow,
        "deny" => PolicyEffect.Deny,
        "require_approval" => PolicyEffect.RequireApproval,
        _ => null,
    };

    private static string Name(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Deny => "deny",
        _ => "require_approval",
    };

    /// <summary>A rule with conditions on argument paths, and a one-rule policy that tells whether its tool and agent patterns match a call.</summary>
    private sealed class SensitiveRule
    {
        private readonly PolicyEvaluator _matcher;

        private SensitiveRule(PolicyRule rule, string[] paths)
        {
            Name = rule.Name;
            Paths = paths;
            _matcher = new PolicyEvaluator(new PolicyBuilder()
                .DefaultEffect(PolicyEffect.Allow)
                .ForTool(rule.ToolPattern, r =>
                {
                    if (rule.AgentPattern is { } agent)
                    {
                        r.ForAgent(agent);
                    }

                    r.Deny("matches");
                })
                .Build());
        }

        public string Name { get; }

        public string[] Paths { get; }

        public static SensitiveRule? For(PolicyRule rule)
        {
            var paths = rule.Conditions
                .Select(c => c switch
                {
                    AmountOverCondition amount => amount.ArgumentPath,
                    ArgumentMatchCondition match => match.ArgumentPath,
                    _ => null,
                })
                .OfType<string>()
                .ToArray();
            return paths.Length == 0 ? null : new SensitiveRule(rule, paths);
        }

        public bool Matches(ActionRequest probe) => _matcher.Evaluate(probe).Effect == PolicyEffect.Deny;
    }
}
