using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyBuilderTests
{
    [Fact]
    public void Builder_reads_like_the_policy_it_builds()
    {
        var policy = new PolicyBuilder()
            .Named("payments")
            .DefaultTimeout(TimeSpan.FromMinutes(5))
            .ForTool("refund", r => r.Named("big-refunds").WhenAmountOver("amount", 100).RequireApproval()
                .Risk(RiskLevel.High).Quorum(2).ReviewerRoles("finance").Redact("card.number"))
            .ForTool("refund", r => r.Allow())
            .ForTool("delete_*", r => r.Deny("deletes are never automated"))
            .Build();

        Assert.Equal("payments", policy.Name);
        Assert.Equal(PolicyEffect.RequireApproval, policy.DefaultEffect);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.DefaultTimeout);
        var big = policy.Rules[0];
        Assert.Equal(("big-refunds", "refund", PolicyEffect.RequireApproval, RiskLevel.High, 2), (big.Name, big.ToolPattern, big.Effect, big.Risk, big.Quorum));
        Assert.Equal(["finance"], big.ReviewerRoles);
        Assert.Equal(["card.number"], big.RedactPaths);
        Assert.Equal("deletes are never automated", policy.Rules[2].DenyReason);
        Assert.True(policy.Rules[2].Effect == PolicyEffect.Deny && !policy.Rules[2].IsFallback);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var builder = new PolicyBuilder()
            .ForTool("", r => r.Allow())
            .ForTool("refund", r => r.Named("q").RequireApproval().Quorum(0))
            .ForTool("update", r => r.Named("rx").WhenArgumentMatches("id", "([a-z").RequireApproval())
            .ForTool("send", r => r.Named("paths").Allow().Redact("items[x]"));

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("rule[0] field 'tool': must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("rule 'q' field 'quorum': must be an integer ≥ 1, got 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("rule 'rx' field 'match_args': the pattern for 'id' is not a valid regular expression", error.Message, StringComparison.Ordinal);
        Assert.Contains("rule 'paths' field 'redact_fields': 'items[x]' is not a valid path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_needs_an_effect()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("refund", r => r.Named("x")).Build());

        Assert.Contains("rule 'x' field 'effect': missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_cannot_have_two_effects()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("refund", r => r.Allow().Deny()).Build());

        Assert.Contains("field 'effect': set more than once (allow, then deny)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quorum")]
    [InlineData("reviewer_roles")]
    [InlineData("timeout")]
    public void Approval_settings_on_an_allow_rule_are_rejected(string field)
    {
        var builder = new PolicyBuilder().ForTool("read", r =>
        {
            r.Allow();
            _ = field switch
            {
                "quorum" => r.Quorum(2),
                "reviewer_roles" => r.ReviewerRoles("ops"),
                _ => r.Timeout(TimeSpan.FromMinutes(1)),
            };
        });

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains($"field '{field}': only applies to require_approval rules, but the effect is allow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_names_must_be_unique()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder()
            .ForTool("a", r => r.Named("same").Allow())
            .ForTool("b", r => r.Named("same").Allow())
            .Build());

        Assert.Contains("rule 'same' field 'name': the name 'same' is already used by rule[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_name_cannot_take_an_automatic_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder()
            .ForTool("a", r => r.Allow())
            .ForTool("b", r => r.Named("rule[0]").Allow())
            .Build());

        Assert.Contains("the name 'rule[0]' is already used by rule[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_threshold_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("refund", r => r.WhenAmountOver("amount", -1).RequireApproval()).Build());

        Assert.Contains("field 'amount_over': threshold must be 0 or more, got -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_path_must_select_one_value()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("pay", r => r.WhenAmountOver("lines[*].amount", 1).RequireApproval()).Build());

        Assert.Contains("'lines[*].amount' selects every array element ([*]); a condition needs one value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pattern_that_needs_backtracking_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("t", r => r.WhenArgumentMatches("v", @"(a)\1").Deny()).Build());

        Assert.Contains("the pattern for 'v' needs backtracking", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_agent_pattern_and_role_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder()
            .ForTool("t", r => r.ForAgent(" ").RequireApproval().ReviewerRoles(""))
            .Build());

        Assert.Contains("field 'agent': must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("field 'reviewer_roles': role names must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_is_only_for_deny_rules_and_must_not_be_empty()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().ForTool("t", r => r.Deny("  ")).Build());

        Assert.Contains("field 'reason': must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_positive_timeouts_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder()
            .DefaultTimeout(TimeSpan.Zero)
            .ForTool("t", r => r.RequireApproval().Timeout(TimeSpan.FromSeconds(-5)))
            .Build());

        Assert.Contains("field 'default_timeout': must be more than 0 seconds, got 0s", error.Message, StringComparison.Ordinal);
        Assert.Contains("field 'timeout': must be more than 0 seconds, got -5s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_level_redaction_paths_are_checked()
    {
        var error = Assert.Throws<ArgumentException>(() => new PolicyBuilder().Redact("a...b").Build());

        Assert.Contains("field 'redact_fields': 'a...b' is not a valid path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_roles_and_paths_are_kept_once()
    {
        var rule = new PolicyBuilder()
            .ForTool("t", r => r.RequireApproval().ReviewerRoles("a", "a", "b").Redact("x", "x"))
            .Build()
            .Rules[0];

        Assert.Equal(["a", "b"], rule.ReviewerRoles);
        Assert.Equal(["x"], rule.RedactPaths);
    }

    [Fact]
    public void Built_policy_does_not_change_when_the_builder_goes_on()
    {
        var builder = new PolicyBuilder().ForTool("a", r => r.Allow());
        var first = builder.Build();

        builder.ForTool("b", r => r.Deny());

        Assert.Single(first.Rules);
        Assert.Equal(2, builder.Build().Rules.Count);
    }

    [Fact]
    public void Built_policy_rules_cannot_be_modified()
    {
        var policy = new PolicyBuilder().ForTool("a", r => r.Allow()).Build();

        var rules = Assert.IsAssignableFrom<IList<PolicyRule>>(policy.Rules);
        Assert.Throws<NotSupportedException>(() => rules.Clear());
    }

    [Fact]
    public void Ready_made_policies_have_the_documented_defaults()
    {
        Assert.Equal(PolicyEffect.Allow, new PolicyEvaluator(ActionPolicy.AllowAll).Evaluate(Calls.To("x")).Effect);
        Assert.Equal(PolicyEffect.RequireApproval, new PolicyEvaluator(ActionPolicy.RequireApprovalForAll).Evaluate(Calls.To("x")).Effect);
    }

    [Fact]
    public void Null_arguments_are_misuse()
    {
        Assert.Throws<ArgumentNullException>(() => new PolicyBuilder().ForTool(null!, r => r.Allow()));
        Assert.Throws<ArgumentNullException>(() => new PolicyBuilder().ForTool("t", null!));
        Assert.Throws<ArgumentNullException>(() => new PolicyEvaluator(null!));
        Assert.Throws<ArgumentNullException>(() => new PolicyEvaluator(ActionPolicy.AllowAll).Evaluate(null!));
    }
}
