using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

/// <summary>A condition that cannot be evaluated (a missing argument, "lots" for an amount) never lets a call through.</summary>
public class UnevaluableConditionTests
{
    private static readonly PolicyEvaluator Refunds = new(PolicyLoader.LoadYaml("""
        rules:
          - name: big-refunds
            tool: refund
            amount_over: { arg: amount, threshold: 100 }
            effect: require_approval
            risk_level: high
            quorum: 2
          - name: refunds
            tool: refund
            effect: allow
        """));

    private static PolicyEvaluator Evaluator(string yaml) => new(PolicyLoader.LoadYaml(yaml));

    [Theory]
    [InlineData("""{"amount": "lots"}""", "'lots' is not a number")]
    [InlineData("""{"amount": "4,000"}""", "'4,000' is not a number")]
    [InlineData("""{"amount": null}""", "amount is null")]
    [InlineData("""{"amount": {"value": 4000}}""", "amount is an object, not a number")]
    [InlineData("""{"amount": [4000]}""", "amount is a list, not a number")]
    [InlineData("""{"amount": true}""", "amount is true, not a number")]
    [InlineData("""{}""", "amount is missing")]
    public void A_refund_whose_amount_is_not_a_number_is_held_for_a_human(string arguments, string problem)
    {
        var decision = Refunds.Evaluate(Calls.To("refund", arguments));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal([$"amount_over(amount, 100) could not be evaluated: {problem}; held for a human (rule 'big-refunds')"], decision.Reasons);
        Assert.Equal(["big-refunds", "refunds"], decision.MatchedRules);
        Assert.Equal((RiskLevel.High, 2), (decision.Risk, decision.Quorum));
    }

    [Fact]
    public void A_numeric_string_with_spaces_around_it_is_a_number()
    {
        var decision = Refunds.Evaluate(Calls.To("refund", """{"amount": " 250.5 "}"""));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(["amount 250.5 is over 100 (rule 'big-refunds')"], decision.Reasons);
        Assert.Equal(PolicyEffect.Allow, Refunds.Evaluate(Calls.To("refund", """{"amount": " 50 "}""")).Effect);
    }

    [Fact]
    public void An_allow_rule_whose_condition_cannot_be_evaluated_holds_the_call_instead()
    {
        var evaluator = Evaluator("""
            default_effect: allow
            rules:
              - name: small-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 0 }
                effect: allow
            """);

        var decision = evaluator.Evaluate(Calls.To("refund", """{"amount": "lots"}"""));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(["amount_over(amount, 0) could not be evaluated: 'lots' is not a number; held for a human (rule 'small-refunds')"], decision.Reasons);
    }

    [Fact]
    public void A_deny_rule_whose_condition_cannot_be_evaluated_still_denies()
    {
        var evaluator = Evaluator("""
            rules:
              - name: huge-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 10000 }
                effect: deny
                reason: huge refunds are never automated
              - name: refunds
                tool: refund
                effect: allow
            """);

        var decision = evaluator.Evaluate(Calls.To("refund", """{"amount": "lots"}"""));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(["huge refunds are never automated (amount_over(amount, 10000) could not be evaluated: 'lots' is not a number; denied as if it held)"], decision.Reasons);
    }

    [Theory]
    [InlineData("default_effect: deny\nrules:\n")]
    [InlineData("rules:\n  - tool: \"*\"\n    effect: deny\n")]
    public void It_does_not_soften_a_deny_that_would_apply_without_the_rule(string denyingPart)
    {
        var evaluator = Evaluator(denyingPart + """
              - name: small-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 0 }
                effect: allow
            """);

        Assert.Equal(PolicyEffect.Deny, evaluator.Evaluate(Calls.To("refund", """{"amount": "lots"}""")).Effect);
    }

    [Fact]
    public void A_condition_that_fails_outright_keeps_the_rule_out_whatever_the_others_say()
    {
        var evaluator = Evaluator("""
            rules:
              - name: big-usd-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 100 }
                match_args: { currency: "^USD$" }
                effect: require_approval
              - name: refunds
                tool: refund
                effect: allow
            """);

        Assert.Equal(PolicyEffect.Allow, evaluator.Evaluate(Calls.To("refund", """{"amount": "lots", "currency": "EUR"}""")).Effect);
        Assert.Equal(PolicyEffect.RequireApproval, evaluator.Evaluate(Calls.To("refund", """{"amount": "lots", "currency": "USD"}""")).Effect);
    }

    [Fact]
    public void Match_args_on_a_missing_argument_holds_the_call_with_the_rule_settings()
    {
        var evaluator = Evaluator("""
            rules:
              - name: deploy-to-production
                tool: deploy
                match_args: { environment: "^prod" }
                effect: require_approval
                quorum: 2
                reviewer_roles: [sre]
              - name: deploy-elsewhere
                tool: deploy
                effect: allow
            """);

        var decision = evaluator.Evaluate(Calls.To("deploy", """{"service": "billing"}"""));

        Assert.Equal(PolicyEffect.RequireApproval, decision.Effect);
        Assert.Equal(["match_args(environment, '^prod') could not be evaluated: environment is missing; held for a human (rule 'deploy-to-production')"], decision.Reasons);
        Assert.Equal(2, decision.Quorum);
        Assert.Equal(["sre"], decision.ReviewerRoles);
    }

    [Fact]
    public void A_redacted_value_is_not_quoted_when_it_cannot_be_evaluated()
    {
        var evaluator = Evaluator("""
            redact_fields: [amount]
            rules:
              - name: big-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 100 }
                effect: require_approval
            """);

        var decision = evaluator.Evaluate(Calls.To("refund", """{"amount": "card 4111111111111111"}"""));

        Assert.Equal(["amount_over(amount, 100) could not be evaluated: amount is not a number; held for a human (rule 'big-refunds')"], decision.Reasons);
    }

    [Fact]
    public void A_long_or_hostile_value_is_quoted_short_and_inert()
    {
        var decision = Refunds.Evaluate(Calls.To("refund", $$"""{"amount": "\u001b[2K{{new string('x', 10_000)}}"}"""));

        var reason = Assert.Single(decision.Reasons);
        Assert.StartsWith(@"amount_over(amount, 100) could not be evaluated: '\u001B[2Kxxx", reason, StringComparison.Ordinal);
        Assert.Contains("(truncated from 10004 characters)", reason, StringComparison.Ordinal);
        Assert.True(reason.Length < 300);
    }

    [Fact]
    public void A_rule_that_cannot_be_evaluated_does_not_keep_the_fallback_from_applying()
    {
        var evaluator = Evaluator("""
            rules:
              - name: big-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 100 }
                effect: require_approval
              - name: everything-else
                tool: "*"
                effect: deny
            """);

        var decision = evaluator.Evaluate(Calls.To("refund", """{"amount": "lots"}"""));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(["big-refunds", "everything-else"], decision.MatchedRules);
    }

    [Fact]
    public void Redaction_paths_of_a_rule_that_cannot_be_evaluated_still_apply()
    {
        var evaluator = Evaluator("""
            rules:
              - name: big-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 100 }
                effect: require_approval
                redact_fields: [card.number]
            """);

        Assert.Equal(["card.number"], evaluator.Evaluate(Calls.To("refund", """{"amount": "lots"}""")).RedactPaths);
    }
}
