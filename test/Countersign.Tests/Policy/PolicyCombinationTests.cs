using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyCombinationTests
{
    private static PolicyDecision Decide(ActionPolicy policy, ActionRequest request) => new PolicyEvaluator(policy).Evaluate(request);

    [Fact]
    public void Explicit_deny_wins_over_allow_and_approval_whatever_the_order()
    {
        var policy = new PolicyBuilder()
            .ForTool("wire", r => r.Named("allow").Allow())
            .ForTool("wire", r => r.Named("approve").RequireApproval())
            .ForTool("wire", r => r.Named("deny").Deny("wires are frozen"))
            .Build();

        var decision = Decide(policy, Calls.To("wire"));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(["wires are frozen"], decision.Reasons);
        Assert.Equal(["allow", "approve", "deny"], decision.MatchedRules);
    }

    [Fact]
    public void Every_applicable_deny_rule_gives_its_reason()
    {
        var policy = new PolicyBuilder()
            .ForTool("wire", r => r.Deny("first"))
            .ForTool("w*", r => r.Deny("second"))
            .Build();

        Assert.Equal(["first", "second"], Decide(policy, Calls.To("wire")).Reasons);
    }

    [Fact]
    public void Deny_rule_without_a_reason_gets_one_naming_the_rule()
    {
        var policy = new PolicyBuilder().ForTool("delete_*", r => r.Named("no-deletes").Deny()).Build();

        var reason = Assert.Single(Decide(policy, Calls.To("delete_user")).Reasons);

        Assert.Equal("rule 'no-deletes' denies calls to 'delete_*'", reason);
        Assert.Equal(reason, policy.Rules[0].DenyReason);
    }

    [Fact]
    public void Approval_holds_even_when_an_allow_rule_also_applies()
    {
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.Named("small").Allow())
            .ForTool("refund", r => r.Named("big").WhenAmountOver("amount", 100).RequireApproval())
            .Build();

        var decision = Decide(policy, Calls.To("refund", """{"amount": 4000}"""));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(["small", "big"], decision.MatchedRules);
        Assert.Equal(["amount 4000 is over 100 (rule 'big')"], decision.Reasons);
    }

    [Fact]
    public void Applicable_approval_rules_are_merged_strictest_first()
    {
        var policy = new PolicyBuilder()
            .DefaultTimeout(TimeSpan.FromHours(1))
            .ForTool("refund", r => r.Named("a").RequireApproval().Risk(RiskLevel.Medium).Timeout(TimeSpan.FromMinutes(30)).Quorum(1).ReviewerRoles("finance", "support"))
            .ForTool("refund", r => r.Named("b").RequireApproval().Risk(RiskLevel.Critical).Timeout(TimeSpan.FromMinutes(10)).Quorum(3).ReviewerRoles("finance", "audit"))
            .ForTool("refund", r => r.Named("c").RequireApproval().Risk(RiskLevel.Low).Quorum(2))
            .Build();

        var decision = Decide(policy, Calls.To("refund"));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(RiskLevel.Critical, decision.Risk);
        Assert.Equal(TimeSpan.FromMinutes(10), decision.Timeout);
        Assert.Equal(3, decision.Quorum);
        Assert.Equal(["finance"], decision.ReviewerRoles);
        Assert.Equal(3, decision.Reasons.Count);
    }

    [Fact]
    public void Rule_without_reviewer_roles_does_not_narrow_the_roles_of_others()
    {
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.RequireApproval().ReviewerRoles("finance"))
            .ForTool("refund", r => r.RequireApproval())
            .Build();

        Assert.Equal(["finance"], Decide(policy, Calls.To("refund")).ReviewerRoles);
    }

    [Fact]
    public void Approval_rules_with_no_reviewer_role_in_common_deny_because_nobody_could_approve()
    {
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.Named("finance-only").RequireApproval().ReviewerRoles("finance"))
            .ForTool("refund", r => r.Named("security-only").RequireApproval().ReviewerRoles("security"))
            .Build();

        var decision = Decide(policy, Calls.To("refund"));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        var reason = Assert.Single(decision.Reasons);
        Assert.Contains("rule 'finance-only' (finance)", reason, StringComparison.Ordinal);
        Assert.Contains("rule 'security-only' (security)", reason, StringComparison.Ordinal);
        Assert.Contains("no role in common", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_timeout_wins_over_the_policy_default_even_when_longer()
    {
        var policy = new PolicyBuilder()
            .DefaultTimeout(TimeSpan.FromMinutes(1))
            .ForTool("refund", r => r.RequireApproval().Timeout(TimeSpan.FromMinutes(30)))
            .Build();

        Assert.Equal(TimeSpan.FromMinutes(30), Decide(policy, Calls.To("refund")).Timeout);
    }

    [Fact]
    public void Approval_without_any_timeout_uses_the_policy_default()
    {
        var policy = new PolicyBuilder()
            .DefaultTimeout(TimeSpan.FromMinutes(4))
            .ForTool("refund", r => r.RequireApproval())
            .Build();

        Assert.Equal(TimeSpan.FromMinutes(4), Decide(policy, Calls.To("refund")).Timeout);
    }

    [Fact]
    public void Allow_carries_no_timeout_and_a_quorum_of_one()
    {
        var policy = new PolicyBuilder()
            .DefaultTimeout(TimeSpan.FromMinutes(4))
            .ForTool("read", r => r.Allow().Risk(RiskLevel.Low))
            .Build();

        var decision = Decide(policy, Calls.To("read"));

        Assert.Null(decision.Timeout);
        Assert.Equal(1, decision.Quorum);
        Assert.Equal(RiskLevel.Low, decision.Risk);
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void Several_allow_rules_give_allow_with_the_highest_risk()
    {
        var policy = new PolicyBuilder()
            .ForTool("read", r => r.Allow().Risk(RiskLevel.Low))
            .ForTool("r*", r => r.Allow().Risk(RiskLevel.High))
            .Build();

        var decision = Decide(policy, Calls.To("read"));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(RiskLevel.High, decision.Risk);
    }

    [Fact]
    public void Redaction_paths_are_the_union_over_every_applicable_rule_and_the_policy()
    {
        var policy = new PolicyBuilder()
            .Redact("password")
            .ForTool("send", r => r.Allow().Redact("body"))
            .ForTool("send", r => r.RequireApproval().Redact("to", "body"))
            .ForTool("send", r => r.WhenAmountOver("amount", 1).Deny().Redact("never-applies"))
            .ForTool("other", r => r.Allow().Redact("other-tool"))
            .Build();

        var decision = Decide(policy, Calls.To("send", """{"amount": 0}"""));

        Assert.Equal(["password", "body", "to"], decision.RedactPaths);
    }

    [Fact]
    public void Deny_decision_still_carries_the_redaction_paths()
    {
        var policy = new PolicyBuilder()
            .ForTool("send", r => r.Deny("no").Redact("secret"))
            .Build();

        Assert.Equal(["secret"], Decide(policy, Calls.To("send")).RedactPaths);
    }

    [Fact]
    public void Default_decision_carries_the_policy_redaction_paths()
    {
        var policy = new PolicyBuilder().Redact("password").Build();

        Assert.Equal(["password"], Decide(policy, Calls.To("x")).RedactPaths);
    }

    [Fact]
    public void Fallback_redaction_paths_apply_only_when_the_fallback_applies()
    {
        var policy = new PolicyBuilder()
            .ForTool("send", r => r.Allow())
            .ForAnyTool(r => r.RequireApproval().Redact("token"))
            .Build();

        Assert.Empty(Decide(policy, Calls.To("send")).RedactPaths);
        Assert.Equal(["token"], Decide(policy, Calls.To("other")).RedactPaths);
    }

    [Fact]
    public void Approval_reason_does_not_quote_a_redacted_amount()
    {
        var policy = new PolicyBuilder()
            .ForTool("pay", r => r.Named("secret-sums").WhenAmountOver("payment.amount", 100).RequireApproval().Redact("payment"))
            .Build();

        var decision = Decide(policy, Calls.To("pay", """{"payment": {"amount": 987654}}"""));

        Assert.Equal(["payment.amount is over 100 (rule 'secret-sums')"], decision.Reasons);
    }

    [Fact]
    public void Approval_reason_for_a_rule_without_conditions_names_the_tool_pattern()
    {
        var policy = new PolicyBuilder().ForTool("send_*", r => r.Named("mail").RequireApproval()).Build();

        Assert.Equal(["every call to 'send_*' needs approval (rule 'mail')"], Decide(policy, Calls.To("send_email")).Reasons);
    }

    [Fact]
    public void Approval_reason_names_every_condition_of_the_rule()
    {
        var policy = new PolicyBuilder()
            .ForTool("refund", r => r.Named("prod-refunds")
                .WhenAmountOver("amount", 100)
                .WhenArgumentMatches("customer_id", "^prod-")
                .When(_ => true, "weekend")
                .RequireApproval())
            .Build();

        var reason = Assert.Single(Decide(policy, Calls.To("refund", """{"amount": "250.5", "customer_id": "prod-1"}""")).Reasons);

        Assert.Equal("amount 250.5 is over 100 and customer_id matches '^prod-' and custom condition 'weekend' held (rule 'prod-refunds')", reason);
    }

    [Fact]
    public void Decision_of_a_rule_that_decides_alone_is_reused()
    {
        var evaluator = new PolicyEvaluator(new PolicyBuilder().ForTool("read", r => r.Allow()).Build());

        Assert.Same(evaluator.Evaluate(Calls.To("read")), evaluator.Evaluate(Calls.To("read", """{"x": 1}""")));
    }

    [Fact]
    public void Decision_lists_cannot_be_changed_by_a_caller()
    {
        var decision = new PolicyEvaluator(new PolicyBuilder().ForTool("read", r => r.Allow().Redact("a")).Build()).Evaluate(Calls.To("read"));

        var paths = Assert.IsAssignableFrom<IList<string>>(decision.RedactPaths);
        Assert.Throws<NotSupportedException>(() => paths[0] = "changed");
    }

    [Fact]
    public void Evaluations_from_many_threads_agree()
    {
        var evaluator = new PolicyEvaluator(new PolicyBuilder()
            .ForTool("refund", r => r.WhenAmountOver("amount", 100).RequireApproval())
            .ForTool("refund", r => r.Allow())
            .Build());

        var results = new PolicyEffect[2000];
        Parallel.For(0, results.Length, i =>
            results[i] = evaluator.Evaluate(Calls.To("refund", $$"""{"amount": {{i % 200}}}""")).Effect);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 200 > 100 ? PolicyEffect.RequireApproval : PolicyEffect.Allow, results[i]);
        }
    }
}
