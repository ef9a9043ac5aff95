using System.Globalization;
using System.Text.RegularExpressions;
using Countersign.Approvals;
using Countersign.Redaction;

namespace Countersign.Policy.Loading;

/// <summary>
/// Turns a parsed policy file into an <see cref="ActionPolicy"/>: checks every field's name and type, records where
/// each was written, hands the result to <see cref="PolicyAssembler"/>, and reports every problem with its line.
/// </summary>
internal sealed partial class PolicyDocumentReader
{
    internal static readonly string[] PolicyFields = ["name", "default_effect", "default_timeout", "redact_fields", "rules", "scopes"];

    internal static readonly string[] RuleFields =
    [
        "name", "tool", "agent", "amount_over", "match_args", "always", "effect", "require_approval", "auto_approve",
        "risk_level", "timeout", "redact_fields", "quorum", "reviewer_roles", "reason",
    ];

    internal static readonly string[] AmountOverFields = ["arg", "threshold"];

    private readonly string _sourceName;
    private readonly List<PolicyLoadError> _errors = [];

    // Set when a rule says require_approval or auto_approve, as ApproveKit's files do.
    private bool _approveKitFile;

    private PolicyDocumentReader(string sourceName)
    {
        _sourceName = sourceName;
    }

    public static ActionPolicy Read(DocumentNode root, string sourceName) => new PolicyDocumentReader(sourceName).Read(root);

    private ActionPolicy Read(DocumentNode root)
    {
        if (root is not MappingNode mapping)
        {
            Error(root.Position, null, null, $"the policy must be a mapping with fields such as 'default_effect' and 'rules', got {root.Describe()}");
            throw new PolicyLoadException(_errors);
        }

        var spec = new PolicySpec();
        foreach (var (key, value) in Fields(mapping, PolicyFields, null))
        {
            spec.Positions[key.Text] = key.Position;
            switch (key.Text)
            {
                case "name":
                    spec.Name = ReadString(value, null, "name");
                    break;
                case "default_effect":
                    spec.DefaultEffect = ReadEffect(value, null, "default_effect");
                    break;
                case "default_timeout":
                    spec.DefaultTimeout = ReadDuration(value, null, "default_timeout");
                    break;
                case "redact_fields":
                    spec.RedactPaths.AddRange(ReadStringList(value, null, "redact_fields") ?? []);
                    break;
                case "scopes":
                    ReadScopes(value, spec);
                    break;
                default:
                    ReadRules(value, spec);
                    break;
            }
        }

        if (_approveKitFile)
        {
            ReadBareNamesAtAnyDepth(spec);
        }

        spec.Name ??= _sourceName;
        var problems = new List<PolicyProblem>();
        var policy = PolicyAssembler.Assemble(spec, problems);
        foreach (var problem in problems)
        {
            var key = problem.PositionKey ?? problem.Field;
            SourcePosition position;
            if (problem.Rule is { } rule)
            {
                position = key is not null && rule.Positions.TryGetValue(key, out var at) ? at : rule.Position ?? default;
            }
            else
            {
                position = key is not null && spec.Positions.TryGetValue(key, out var at) ? at : new SourcePosition(1, 1);
            }

            Error(position, problem.Rule, problem.Field, problem.Message);
        }

        if (_errors.Count > 0 || policy is null)
        {
            throw new PolicyLoadException([.. _errors.OrderBy(static e => e.Line).ThenBy(static e => e.Column)]);
        }

        return policy;
    }

    private void ReadScopes(DocumentNode value, PolicySpec spec)
    {
        if (value is ScalarNode { Kind: ScalarKind.Null })
        {
            return;
        }

        if (value is not MappingNode mapping)
        {
            Error(value.Position, null, "scopes", $"must be a mapping of agent ids to lists of tool names or globs, got {value.Describe()}");
            return;
        }

        foreach (var (key, tools) in mapping.Entries)
        {
            var field = $"scopes.{key.Text}";
            if (spec.Scopes.ContainsKey(key.Text))
            {
                Error(key.Position, null, field, $"agent '{key.Text}' appears twice (first on line {spec.Positions[field].Line})");
                continue;
            }

            spec.Positions[field] = key.Position;
            if (ReadStringList(tools, null, field) is { } list)
            {
                spec.Scopes[key.Text] = list;
            }
        }
    }

    private void ReadRules(DocumentNode value, PolicySpec spec)
    {
        if (value is ScalarNode { Kind: ScalarKind.Null })
        {
            return;
        }

        if (value is not SequenceNode sequence)
        {
            Error(value.Position, null, "rules", $"must be a list of rules, got {value.Describe()}");
            return;
        }

        foreach (var item in sequence.Items)
        {
            var rule = new RuleSpec(spec.Rules.Count) { Position = item.Position };
            spec.Rules.Add(rule);
            if (item is not MappingNode mapping)
            {
                Error(item.Position, rule, null, $"a rule must be a mapping with fields such as 'tool' and 'effect', got {item.Describe()}");
                rule.InvalidFields.UnionWith(["tool", "effect"]);
                continue;
            }

            ReadRule(mapping, rule);
        }
    }

    private void ReadRule(MappingNode mapping, RuleSpec rule)
    {
        // The name is read first so that every other error can name the rule.
        foreach (var (key, value) in mapping.Entries)
        {
            if (key.Text == "name" && value is ScalarNode { Kind: ScalarKind.String } name)
            {
                rule.Name = name.Text;
                break;
            }
        }

        PolicyEffect? effect = null;
        bool? requireApproval = null;
        bool? autoApprove = null;
        SourcePosition effectPosition = default;
        foreach (var (key, value) in Fields(mapping, RuleFields, rule))
        {
            rule.Positions[key.Text] = key.Position;
            switch (key.Text)
            {
                case "name":
                    rule.Name = ReadString(value, rule, "name");
                    break;
                case "tool":
                    rule.Tool = ReadString(value, rule, "tool");
                    break;
                case "agent":
                    rule.Agent = ReadString(value, rule, "agent");
                    break;
                case "amount_over":
                    ReadAmountOver(value, rule);
                    break;
                case "match_args":
                    ReadMatchArgs(value, rule);
                    break;
                case "always":
                    if (ReadBoolean(value, rule, "always") is { } always)
                    {
                        if (always)
                        {
                            rule.Conditions.Add(new ConditionSpec { Kind = ConditionKind.Always, Field = "always", PositionKey = "always" });
                        }
                        else
                        {
                            Error(value.Position, rule, "always", "can only be true; leave it out (or remove the rule) instead");
                        }
                    }

                    break;
                case "effect":
                    effect = ReadEffect(value, rule, "effect");
                    effectPosition = key.Position;
                    break;
                case "require_approval":
                    _approveKitFile = true;
                    requireApproval = ReadBoolean(value, rule, "require_approval");
                    effectPosition = effect is null ? key.Position : effectPosition;
                    break;
                case "auto_approve":
                    _approveKitFile = true;
                    autoApprove = ReadBoolean(value, rule, "auto_approve");
                    effectPosition = effect is null && requireApproval is null ? key.Position : effectPosition;
                    break;
                case "risk_level":
                    rule.Risk = ReadRisk(value, rule);
                    break;
                case "timeout":
                    rule.Timeout = ReadDuration(value, rule, "timeout");
                    break;
                case "redact_fields":
                    rule.RedactPaths.AddRange(ReadStringList(value, rule, "redact_fields") ?? []);
                    break;
                case "quorum":
                    rule.Quorum = ReadInteger(value, rule, "quorum", "must be an integer ≥ 1");
                    break;
                case "reviewer_roles":
                    rule.ReviewerRoles = ReadStringList(value, rule, "reviewer_roles");
                    break;
                default:
                    rule.Reason = ReadString(value, rule, "reason");
                    break;
            }
        }

        ResolveEffect(rule, effect, requireApproval, autoApprove, effectPosition);
    }

    // In ApproveKit's files a bare name in redact_fields masks that field at any depth, so there it is read as '..name'.
    // A path with a dot, a bracket or a leading '$' ('$.ssn' for the top level only) means what it means elsewhere.
    private static void ReadBareNamesAtAnyDepth(PolicySpec spec)
    {
        ToAnyDepth(spec.RedactPaths);
        foreach (var rule in spec.Rules)
        {
            ToAnyDepth(rule.RedactPaths);
        }

        static void ToAnyDepth(List<string> paths)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                if (!paths[i].StartsWith('$') && ArgumentPath.TryParse(paths[i], out var path, out _)
                    && path.Steps is [{ Kind: ArgumentPathStepKind.Property }])
                {
                    paths[i] = ".." + paths[i];
                }
            }
        }
    }

    // ApproveKit's files say require_approval: true / auto_approve: true instead of an effect; both forms are
    // accepted, and a file that says two different things is rejected rather than guessed at.
    private void ResolveEffect(RuleSpec rule, PolicyEffect? effect, bool? requireApproval, bool? autoApprove, SourcePosition position)
    {
        if (rule.InvalidFields.Overlaps(["effect", "require_approval", "auto_approve"]))
        {
            rule.InvalidFields.Add("effect");
            return;
        }

        if (requireApproval == true && autoApprove == true)
        {
            Error(position, rule, "auto_approve", "conflicts with require_approval: true; a rule either needs approval or not");
            rule.InvalidFields.Add("effect");
            return;
        }

        PolicyEffect? fromFlags = requireApproval switch
        {
            true => PolicyEffect.RequireApproval,
            false => PolicyEffect.Allow,
            null => autoApprove switch
            {
                true => PolicyEffect.Allow,
                false => PolicyEffect.RequireApproval,
                null => null,
            },
        };

        if (effect is not null && fromFlags is not null && effect != fromFlags)
        {
            var flag = requireApproval is null ? "auto_approve" : "require_approval";
            Error(position, rule, "effect", $"says {PolicyAssembler.EffectName(effect.Value)} but {flag} says {PolicyAssembler.EffectName(fromFlags.Value)}");
            rule.InvalidFields.Add("effect");
            return;
        }

        if ((effect ?? fromFlags) is { } resolved)
        {
            rule.Effects.Add(resolved);
            rule.Positions["effect"] = position;
        }
    }

    private void ReadAmountOver(DocumentNode value, RuleSpec rule)
    {
        if (value is not MappingNode mapping)
        {
            Error(value.Position, rule, "amount_over", $"must be a mapping like {{ arg: amount, threshold: 100 }}, got {value.Describe()}");
            return;
        }

        string? argument = null;
        decimal? threshold = null;
        var fields = Fields(mapping, AmountOverFields, rule, "amount_over.");
        var valid = fields.Count == mapping.Entries.Count;
        foreach (var (key, entry) in fields)
        {
            if (key.Text == "arg")
            {
                argument = ReadString(entry, rule, "amount_over", "arg ");
                valid &= argument is not null;
            }
            else if (entry is ScalarNode { Kind: ScalarKind.Number } number
                && decimal.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                threshold = parsed;
            }
            else
            {
                Error(entry.Position, rule, "amount_over", $"threshold must be a number, got {entry.Describe()}");
                valid = false;
            }
        }

        if (valid && (argument is null || threshold is null))
        {
            Error(mapping.Position, rule, "amount_over", argument is null ? "missing 'arg': the argument to compare" : "missing 'threshold': the amount to exceed");
            return;
        }

        if (valid)
        {
            rule.Conditions.Add(new ConditionSpec
            {
                Kind = ConditionKind.AmountOver,
                Field = "amount_over",
                PositionKey = "amount_over",
                ArgumentPath = argument,
                Threshold = threshold!.Value,
            });
        }
    }

    private void ReadMatchArgs(DocumentNode value, RuleSpec rule)
    {
        if (value is not MappingNode mapping || mapping.Entries.Count == 0)
        {
            Error(value.Position, rule, "match_args", $"must map argument paths to regular expressions, like {{ customer_id: \"^prod-\" }}, got {value.Describe()}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, entry) in mapping.Entries)
        {
            if (!seen.Add(key.Text))
            {
                Error(key.Position, rule, "match_args", $"'{key.Text}' appears twice");
                continue;
            }

            var pattern = ReadString(entry, rule, "match_args", $"the pattern for '{key.Text}' ");
            if (pattern is null)
            {
                continue;
            }

            var positionKey = "match_args." + key.Text;
            rule.Positions[positionKey] = key.Position;
            rule.Conditions.Add(new ConditionSpec
            {
                Kind = ConditionKind.ArgumentMatch,
                Field = "match_args",
                PositionKey = positionKey,
                ArgumentPath = key.Text,
                Pattern = pattern,
            });
        }
    }

    /// <summary>Yields the known fields of a mapping, reporting unknown and repeated keys.</summary>
    private List<KeyValuePair<ScalarNode, DocumentNode>> Fields(MappingNode mapping, string[] known, RuleSpec? rule, string prefix = "")
    {
        var fields = new List<KeyValuePair<ScalarNode, DocumentNode>>(mapping.Entries.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key;
            if (Array.IndexOf(known, key.Text) < 0)
            {
                Error(key.Position, rule, prefix + key.Text, UnknownField(key.Text, known));
                continue;
            }

            if (seen.TryGetValue(key.Text, out var firstLine))
            {
                Error(key.Position, rule, prefix + key.Text, $"appears twice (first on line {firstLine})");
                continue;
            }

            seen.Add(key.Text, key.Position.Line);
            fields.Add(entry);
        }

        return fields;
    }

    private static string UnknownField(string name, string[] known)
    {
        var closest = known.MinBy(k => Distance(k, name))!;
        return Distance(closest, name) <= Math.Max(2, name.Length / 3)
            ? $"unknown field (did you mean '{closest}'?)"
            : $"unknown field; the fields are {string.Join(", ", known)}";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private string? ReadString(DocumentNode value, RuleSpec? rule, string field, string subject = "")
    {
        if (value is ScalarNode { Kind: ScalarKind.String } scalar)
        {
            return scalar.Text;
        }

        Invalid(value, rule, field, $"{subject}must be a string, got {value.Describe()}");
        return null;
    }

    private List<string>? ReadStringList(DocumentNode value, RuleSpec? rule, string field)
    {
        if (value is not SequenceNode sequence)
        {
            Invalid(value, rule, field, $"must be a list of strings, got {value.Describe()}");
            return null;
        }

        var items = new List<string>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            if (item is ScalarNode { Kind: ScalarKind.String } scalar)
            {
                items.Add(scalar.Text);
            }
            else
            {
                Invalid(item, rule, field, $"must be a list of strings, but one item is {item.Describe()}");
            }
        }

        return items;
    }

    private bool? ReadBoolean(DocumentNode value, RuleSpec? rule, string field)
    {
        if (value is ScalarNode { Kind: ScalarKind.Boolean } scalar)
        {
            return scalar.Text.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        Invalid(value, rule, field, $"must be true or false, got {value.Describe()}");
        return null;
    }

    private int? ReadInteger(DocumentNode value, RuleSpec? rule, string field, string expectation)
    {
        // 2 and 2.0 are the same integer, as in JSON Schema.
        if (value is ScalarNode { Kind: ScalarKind.Number } scalar
            && decimal.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        Invalid(value, rule, field, $"{expectation}, got {value.Describe()}");
        return null;
    }

    private PolicyEffect? ReadEffect(DocumentNode value, RuleSpec? rule, string field)
    {
        if (value is ScalarNode { Kind: ScalarKind.String } scalar)
        {
            switch (scalar.Text)
            {
                case "allow":
                    return PolicyEffect.Allow;
                case "require_approval":
                    return PolicyEffect.RequireApproval;
                case "deny":
                    return PolicyEffect.Deny;
            }
        }

        Invalid(value, rule, field, $"must be allow, require_approval or deny, got {value.Describe()}");
        return null;
    }

    private RiskLevel? ReadRisk(DocumentNode value, RuleSpec rule)
    {
        if (value is ScalarNode { Kind: ScalarKind.String } scalar)
        {
            switch (scalar.Text)
            {
                case "low":
                    return RiskLevel.Low;
                case "medium":
                    return RiskLevel.Medium;
                case "high":
                    return RiskLevel.High;
                case "critical":
                    return RiskLevel.Critical;
            }
        }

        Invalid(value, rule, "risk_level", $"must be low, medium, high or critical, got {value.Describe()}");
        return null;
    }

    private TimeSpan? ReadDuration(DocumentNode value, RuleSpec? rule, string field)
    {
        const string Expectation = "must be a number of seconds or a duration such as '90s', '5m' or '1h'";
        if (value is ScalarNode scalar)
        {
            try
            {
                if (scalar.Kind == ScalarKind.Number
                    && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (scalar.Kind == ScalarKind.String && DurationPattern().Match(scalar.Text) is { Success: true } match)
                {
                    var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                    return match.Groups[2].Value switch
                    {
                        "ms" => TimeSpan.FromMilliseconds(amount),
                        "s" => TimeSpan.FromSeconds(amount),
                        "m" => TimeSpan.FromMinutes(amount),
                        "h" => TimeSpan.FromHours(amount),
                        _ => TimeSpan.FromDays(amount),
                    };
                }
            }
            catch (OverflowException)
            {
                Invalid(value, rule, field, $"is too long, got {value.Describe()}");
                return null;
            }
        }

        Invalid(value, rule, field, $"{Expectation}, got {value.Describe()}");
        return null;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    private void Invalid(DocumentNode value, RuleSpec? rule, string field, string message)
    {
        Error(value.Position, rule, field, message);
        (rule?.InvalidFields)?.Add(field);
    }

    private void Error(SourcePosition position, RuleSpec? rule, string? field, string problem)
    {
        _errors.Add(new PolicyLoadError
        {
            SourceName = _sourceName,
            Line = Math.Max(position.Line, 1),
            Column = Math.Max(position.Column, 1),
            RuleIndex = rule?.Index,
            Rule = rule is null ? null : string.IsNullOrWhiteSpace(rule.Name) ? RuleSpec.AutoName(rule.Index) : rule.Name,
            RuleIsNamed = rule is not null && !string.IsNullOrWhiteSpace(rule.Name),
            Field = field,
            Problem = problem,
        });
    }
}
