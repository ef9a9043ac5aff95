using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyMatchingTests
{
    private static PolicyDecision Decide(ActionPolicy policy, ActionRequest request) => new PolicyEvaluator(policy).Evaluate(request);

    private static ActionPolicy DenyByDefault(Action<PolicyBuilder> rules)
    {
        var builder = new PolicyBuilder().DefaultEffect(PolicyEffect.Deny);
        rules(builder);
        return builder.Build();
    }

    [Fact]
    public void Exact_tool_rule_applies_only_to_that_tool()
    {
        var policy = DenyByDefault(b => b.ForTool("refund", r => r.Named("refunds").Allow()));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("refund")).Effect);
        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("refunds")).Effect);
        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("Refund")).Effect);
    }

    [Fact]
    public void Glob_rule_applies_to_every_matching_tool()
    {
        var policy = DenyByDefault(b => b.ForTool("read_*", r => r.Allow()));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("read_record")).Effect);
        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("read_")).Effect);
        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("unread_record")).Effect);
    }

    [Fact]
    public void Glob_rule_also_applies_to_a_tool_that_has_an_exact_rule()
    {
        var policy = DenyByDefault(b => b
            .ForTool("delete_user", r => r.Named("exact").Allow())
            .ForTool("delete_*", r => r.Named("glob").Deny("no deletes")));

        var decision = Decide(policy, Calls.To("delete_user"));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(["exact", "glob"], decision.MatchedRules);
    }

    [Fact]
    public void Fallback_rule_applies_when_no_other_rule_applies()
    {
        var policy = DenyByDefault(b => b
            .ForTool("refund", r => r.Allow())
            .ForAnyTool(r => r.Named("everything-else").RequireApproval()));

        var decision = Decide(policy, Calls.To("send_email"));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(["everything-else"], decision.MatchedRules);
    }

    [Fact]
    public void Fallback_rule_is_ignored_when_a_specific_rule_applies()
    {
        var policy = DenyByDefault(b => b
            .ForAnyTool(r => r.Named("fallback-deny").Deny("unknown tool"))
            .ForTool("refund", r => r.Named("refunds").Allow()));

        var decision = Decide(policy, Calls.To("refund"));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(["refunds"], decision.MatchedRules);
    }

    [Fact]
    public void Fallback_rule_applies_when_the_specific_rules_for_a_tool_do_not()
    {
        var policy = DenyByDefault(b => b
            .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
            .ForAnyTool(r => r.Named("fallback").Allow()));

        var decision = Decide(policy, Calls.To("refund", """{"amount": 5}"""));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(["fallback"], decision.MatchedRules);
    }

    [Fact]
    public void No_applicable_rule_gives_the_default_effect()
    {
        var policy = new PolicyBuilder().ForTool("refund", r => r.Allow()).Build();

        var decision = Decide(policy, Calls.To("send_email"));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Empty(decision.MatchedRules);
        Assert.Contains("no rule applies", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_without_rules_requires_approval_for_everything()
    {
        var decision = Decide(new PolicyBuilder().Build(), Calls.To("anything"));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
    }

    [Theory]
    [InlineData(PolicyEffect.Allow)]
    [InlineData(PolicyEffect.Deny)]
    [InlineData(PolicyEffect.RequireApproval)]
    public void Default_effect_is_configurable(PolicyEffect effect)
    {
        var policy = new PolicyBuilder().DefaultEffect(effect).Build();

        Assert.Equal(effect, Decide(policy, Calls.To("anything")).Effect);
    }

    [Fact]
    public void Default_approval_uses_the_policy_default_timeout()
    {
        var policy = new PolicyBuilder().DefaultTimeout(TimeSpan.FromMinutes(7)).Build();

        Assert.Equal(TimeSpan.FromMinutes(7), Decide(policy, Calls.To("anything")).Timeout);
    }

    [Fact]
    public void Agent_pattern_restricts_a_rule_to_matching_agents()
    {
        var policy = DenyByDefault(b => b.ForTool("refund", r => r.ForAgent("billing-*").Allow()));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("refund", agent: "billing-eu")).Effect);
        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("refund", agent: "support-eu")).Effect);
    }

    [Fact]
    public void Rule_with_an_agent_pattern_does_not_apply_to_a_call_without_an_agent_id()
    {
        var policy = DenyByDefault(b => b.ForTool("refund", r => r.ForAgent("billing-*").Allow()));

        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("refund")).Effect);
    }

    [Fact]
    public void Rule_without_an_agent_pattern_applies_to_every_agent_and_to_none()
    {
        var policy = DenyByDefault(b => b.ForTool("refund", r => r.Allow()));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("refund", agent: "anyone")).Effect);
        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("refund")).Effect);
    }

    [Fact]
    public void Agent_specific_deny_overrides_a_general_allow()
    {
        var policy = DenyByDefault(b => b
            .ForTool("update_*", r => r.Allow())
            .ForTool("update_*", r => r.ForAgent("intern-*").Deny("interns only read")));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("update_customer", agent: "senior-1")).Effect);
        var denied = Decide(policy, Calls.To("update_customer", agent: "intern-7"));
        Assert.Equal(PolicyEffect.Deny, denied.Effect);
        Assert.Equal(["interns only read"], denied.Reasons);
    }

    [Fact]
    public void Fallback_rule_can_be_restricted_to_an_agent()
    {
        var policy = DenyByDefault(b => b.ForAnyTool(r => r.ForAgent("trusted").Allow()));

        Assert.Equal(PolicyEffect.Allow, Decide(policy, Calls.To("x", agent: "trusted")).Effect);
        Assert.Equal(PolicyEffect.Deny, Decide(policy, Calls.To("x", agent: "other")).Effect);
    }

    [Fact]
    public void Matched_rules_are_listed_in_policy_order()
    {
        var policy = new PolicyBuilder()
            .ForTool("*_record", r => r.Named("c").Allow())
            .ForTool("read_record", r => r.Named("a").Allow())
            .ForTool("read_*", r => r.Named("b").Allow())
            .Build();

        Assert.Equal(["c", "a", "b"], Decide(policy, Calls.To("read_record")).MatchedRules);
        Assert.Equal(["c", "b"], Decide(policy, Calls.To("read_other_record")).MatchedRules);
    }

    [Fact]
    public void Policy_with_hundreds_of_rules_decides_like_a_small_one()
    {
        var builder = new PolicyBuilder();
        for (var i = 0; i < 300; i++)
        {
            var n = i;
            builder.ForTool($"tool_{n}", r => r.Allow().Redact($"field_{n}"));
            builder.ForTool($"tool_{n}*", r => r.Allow());
        }

        var decision = Decide(builder.Build(), Calls.To("tool_150"));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(["rule[3]", "rule[31]", "rule[300]", "rule[301]"], decision.MatchedRules);
        Assert.Equal(["field_150"], decision.RedactPaths);
    }

    [Fact]
    public void Unnamed_rules_are_named_by_position()
    {
        var policy = new PolicyBuilder()
            .ForTool("a", r => r.Allow())
            .ForTool("b", r => r.Named("named").Allow())
            .ForTool("c", r => r.Allow())
            .Build();

        Assert.Equal(["rule[0]", "named", "rule[2]"], policy.Rules.Select(r => r.Name));
    }
}
