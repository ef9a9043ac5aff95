using System.Text;
using System.Text.Json;
using Countersign.Redaction;

namespace Countersign.Policy;

/// <summary>A <see cref="PolicyRule"/> prepared for evaluation: parsed patterns, conditions in an array, and the
/// decision it gives alone when that decision does not depend on the arguments.</summary>
internal sealed class CompiledRule
{
    private readonly PolicyCondition[] _conditions;

    public CompiledRule(PolicyRule rule)
    {
        Rule = rule;
        Tool = new GlobPattern(rule.ToolPattern);
        Agent = rule.AgentPattern is null ? null : new GlobPattern(rule.AgentPattern);
        _conditions = [.. rule.Conditions];
        foreach (var condition in _conditions)
        {
            if (condition is not AlwaysCondition)
            {
                HasRealConditions = true;
            }

            if (condition.ReasonQuotesArguments)
            {
                ReasonQuotesArguments = true;
            }
        }
    }

    public PolicyRule Rule { get; }

    public GlobPattern Tool { get; }

    public GlobPattern? Agent { get; }

    public bool HasRealConditions { get; }

    public bool ReasonQuotesArguments { get; }

    /// <summary>Gets the decision when this rule is the only one that applies, if it is the same for every call.</summary>
    public PolicyDecision? SoloDecision { get; set; }

    /// <summary>Whether the rule applies to <paramref name="request"/>: it holds when every condition holds, fails
    /// when the agent does not match or one condition fails, and is indeterminate when no condition fails but one
    /// cannot be evaluated.</summary>
    public ConditionOutcome Test(ActionRequest request)
    {
        if (Agent is not null && !Agent.IsMatch(request.AgentId))
        {
            return ConditionOutcome.Fails;
        }

        var arguments = request.Arguments;
        var outcome = ConditionOutcome.Holds;
        foreach (var condition in _conditions)
        {
            switch (condition.Evaluate(arguments))
            {
                case ConditionOutcome.Fails:
                    return ConditionOutcome.Fails;
                case ConditionOutcome.Indeterminate:
                    // A later condition that fails outright still keeps the rule out.
                    outcome = ConditionOutcome.Indeterminate;
                    break;
            }
        }

        return outcome;
    }

    /// <summary>Says why a rule that could not be evaluated holds the call: <c>amount_over(amount, 100) could not be
    /// evaluated: 'lots' is not a number; held for a human (rule 'big-refunds')</c>.</summary>
    public string HeldReason(JsonElement arguments, IReadOnlyList<ArgumentPath> hidden) =>
        Indeterminate(arguments, hidden).Append("; held for a human (rule '").Append(Rule.Name).Append("')").ToString();

    /// <summary>Says why a deny rule that could not be evaluated denies: its reason, then what could not be evaluated.</summary>
    public string DenyReason(JsonElement arguments, IReadOnlyList<ArgumentPath> hidden) =>
        $"{Rule.DenyReason} ({Indeterminate(arguments, hidden)}; denied as if it held)";

    /// <summary>Says why the rule asks for approval, naming the conditions that held.</summary>
    public string ApprovalReason(JsonElement arguments, IReadOnlyList<ArgumentPath> hidden)
    {
        var text = new StringBuilder();
        if (!HasRealConditions)
        {
            text.Append("every call to '").Append(Rule.ToolPattern).Append("' needs approval");
        }
        else
        {
            var first = true;
            foreach (var condition in _conditions)
            {
                if (condition is AlwaysCondition)
                {
                    continue;
                }

                if (!first)
                {
                    text.Append(" and ");
                }

                condition.AppendReason(text, arguments, hidden);
                first = false;
            }
        }

        return text.Append(" (rule '").Append(Rule.Name).Append("')").ToString();
    }

    private StringBuilder Indeterminate(JsonElement arguments, IReadOnlyList<ArgumentPath> hidden)
    {
        var text = new StringBuilder();
        foreach (var condition in _conditions)
        {
            var start = text.Length;
            if (condition.Evaluate(arguments, text, hidden) == ConditionOutcome.Indeterminate && start > 0)
            {
                text.Insert(start, " and ");
            }
        }

        return text;
    }
}
