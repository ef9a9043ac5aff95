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

    public bool Applies(ActionRequest request)
    {
        if (Agent is not null && !Agent.IsMatch(request.AgentId))
        {
            return false;
        }

        var arguments = request.Arguments;
        foreach (var condition in _conditions)
        {
            if (!condition.IsSatisfiedBy(arguments))
            {
                return false;
            }
        }

        return true;
    }

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
}
