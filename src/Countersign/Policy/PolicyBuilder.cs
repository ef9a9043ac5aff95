namespace Countersign.Policy;

/// <summary>
/// Builds an <see cref="ActionPolicy"/> in code. Every problem (an empty tool pattern, a quorum below 1, a malformed
/// regular expression or redaction path, ...) is reported by <see cref="Build"/>, all at once.
/// </summary>
/// <example>
/// <code>
/// ActionPolicy policy = new PolicyBuilder()
///     .DefaultTimeout(TimeSpan.FromMinutes(5))
///     .ForTool("refund", r => r.Named("big-refunds").WhenAmountOver("amount", 100).RequireApproval()
///         .Risk(RiskLevel.High).Quorum(2).ReviewerRoles("finance").Redact("card.number"))
///     .ForTool("refund", r => r.Allow())
///     .ForTool("delete_*", r => r.Deny("deletes are never automated"))
///     .Build();
/// </code>
/// </example>
public sealed class PolicyBuilder
{
    private readonly PolicySpec _spec = new();

    /// <summary>Names the policy; the name appears in decisions' audit entries and in tools.</summary>
    /// <param name="name">The name.</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _spec.Name = name;
        return this;
    }

    /// <summary>Sets the verdict for a call that no rule applies to. Without this it is <see cref="PolicyEffect.RequireApproval"/>.</summary>
    /// <param name="effect">The verdict.</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder DefaultEffect(PolicyEffect effect)
    {
        if (!Enum.IsDefined(effect))
        {
            throw new ArgumentOutOfRangeException(nameof(effect), effect, "Unknown policy effect.");
        }

        _spec.DefaultEffect = effect;
        return this;
    }

    /// <summary>Sets how long reviewers have when no applicable rule sets a timeout.</summary>
    /// <param name="timeout">A positive duration.</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder DefaultTimeout(TimeSpan timeout)
    {
        _spec.DefaultTimeout = timeout;
        return this;
    }

    /// <summary>Masks argument paths in every decision, whatever rules apply.</summary>
    /// <param name="paths">Paths such as <c>password</c>, <c>card.number</c>, <c>items[*].ssn</c> or <c>..ssn</c> (at any depth).</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder Redact(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _spec.RedactPaths.AddRange(paths);
        return this;
    }

    /// <summary>Adds a rule for the tools that match <paramref name="toolPattern"/>.</summary>
    /// <param name="toolPattern">An exact tool name, a glob with <c>*</c> and <c>?</c> such as <c>delete_*</c>, or <c>*</c> for a fallback rule.</param>
    /// <param name="configure">Sets the rule's conditions, effect and approval settings.</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder ForTool(string toolPattern, Action<PolicyRuleBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(toolPattern);
        ArgumentNullException.ThrowIfNull(configure);
        var rule = new RuleSpec(_spec.Rules.Count) { Tool = toolPattern };
        _spec.Rules.Add(rule);
        configure(new PolicyRuleBuilder(rule));
        return this;
    }

    /// <summary>
    /// Adds a fallback rule (tool pattern <c>*</c>): it applies only to calls that no other rule applies to.
    /// </summary>
    /// <param name="configure">Sets the rule's conditions, effect and approval settings.</param>
    /// <returns>This builder.</returns>
    public PolicyBuilder ForAnyTool(Action<PolicyRuleBuilder> configure) => ForTool("*", configure);

    /// <summary>Checks the rules and builds the immutable policy.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">The policy is not valid; the message lists every problem.</exception>
    public ActionPolicy Build()
    {
        var problems = new List<PolicyProblem>();
        var policy = PolicyAssembler.Assemble(_spec, problems);
        if (policy is null)
        {
            throw new ArgumentException(
                "The policy is not valid:" + string.Concat(problems.Select(static p => Environment.NewLine + "- " + p.Describe())));
        }

        return policy;
    }
}
