using System.Text.Json;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyConditionTests
{
    // The rule under test asks for approval and the default allows, so each outcome of the condition shows: it held
    // (approval, its reason), it did not (allow), or it could not be evaluated (approval, saying so).
    private static PolicyDecision Decide(Action<PolicyRuleBuilder> conditions, string argumentsJson)
    {
        var policy = new PolicyBuilder()
            .DefaultEffect(PolicyEffect.Allow)
            .ForTool("t", r =>
            {
                conditions(r);
                r.RequireApproval();
            })
            .Build();
        return new PolicyEvaluator(policy).Evaluate(Calls.To("t", argumentsJson));
    }

    private static bool CouldNotEvaluate(PolicyDecision decision) =>
        decision.Reasons.Any(r => r.Contains("could not be evaluated", StringComparison.Ordinal));

    private static bool Applies(Action<PolicyRuleBuilder> conditions, string argumentsJson) =>
        Decide(conditions, argumentsJson) is { Effect: PolicyEffect.RequireApproval } decision && !CouldNotEvaluate(decision);

    private static bool CannotEvaluate(Action<PolicyRuleBuilder> conditions, string argumentsJson) =>
        Decide(conditions, argumentsJson) is { Effect: PolicyEffect.RequireApproval } decision && CouldNotEvaluate(decision);

    [Theory]
    [InlineData("""{"amount": 4000}""", true)]
    [InlineData("""{"amount": 100.01}""", true)]
    [InlineData("""{"amount": 100}""", false)]
    [InlineData("""{"amount": 100.0}""", false)]
    [InlineData("""{"amount": 99}""", false)]
    [InlineData("""{"amount": -5000}""", false)]
    [InlineData("""{"amount": 1e400}""", true)]
    [InlineData("""{"amount": -1e400}""", false)]
    [InlineData("""{"amount": 1e25}""", true)]
    public void Amount_over_compares_json_numbers_strictly(string arguments, bool applies)
    {
        Assert.Equal(applies, Applies(r => r.WhenAmountOver("amount", 100), arguments));
    }

    [Theory]
    [InlineData("""{"amount": "4000"}""", true)]
    [InlineData("""{"amount": "4000.50"}""", true)]
    [InlineData("""{"amount": "1e3"}""", true)]
    [InlineData("""{"amount": "-4000"}""", false)]
    [InlineData("""{"amount": "100"}""", false)]
    [InlineData("""{"amount": "\u0034000"}""", true)]
    [InlineData("""{"amount": "1e40"}""", true)]
    [InlineData("""{"amount": "1e400"}""", true)]
    [InlineData("""{"amount": " 250.5 "}""", true)]
    [InlineData("""{"amount": "\t250\n"}""", true)]
    [InlineData("""{"amount": " 50 "}""", false)]
    public void Amount_over_reads_numeric_strings(string arguments, bool applies)
    {
        Assert.Equal(applies, Applies(r => r.WhenAmountOver("amount", 100), arguments));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"amount": null}""")]
    [InlineData("""{"amount": "abc"}""")]
    [InlineData("""{"amount": "4,000"}""")]
    [InlineData("""{"amount": "NaN"}""")]
    [InlineData("""{"amount": "Infinity"}""")]
    [InlineData("""{"amount": ""}""")]
    [InlineData("""{"amount": true}""")]
    [InlineData("""{"amount": {"value": 4000}}""")]
    [InlineData("""{"amount": [4000]}""")]
    [InlineData("""{"Amount": 4000}""")]
    [InlineData("""[4000]""")]
    [InlineData("""{"amount": "1 000"}""")]
    public void Amount_over_cannot_be_evaluated_for_a_missing_or_non_numeric_argument(string arguments)
    {
        Assert.True(CannotEvaluate(r => r.WhenAmountOver("amount", 100), arguments));
    }

    [Fact]
    public void Amount_over_follows_nested_paths_and_indexes()
    {
        Assert.True(Applies(r => r.WhenAmountOver("order.total", 10), """{"order": {"total": 11}}"""));
        Assert.False(Applies(r => r.WhenAmountOver("order.total", 10), """{"order": {"total": 9}}"""));
        Assert.True(Applies(r => r.WhenAmountOver("$.order.total", 10), """{"order": {"total": 11}}"""));
        Assert.True(Applies(r => r.WhenAmountOver("lines[1].amount", 10), """{"lines": [{"amount": 1}, {"amount": 50}]}"""));
        Assert.True(CannotEvaluate(r => r.WhenAmountOver("lines[2].amount", 10), """{"lines": [{"amount": 1}, {"amount": 50}]}"""));
        Assert.True(CannotEvaluate(r => r.WhenAmountOver("order.total", 10), """{"order": "big"}"""));
    }

    [Fact]
    public void Amount_over_with_a_zero_threshold_holds_for_any_positive_amount()
    {
        Assert.True(Applies(r => r.WhenAmountOver("amount", 0), """{"amount": 0.001}"""));
        Assert.False(Applies(r => r.WhenAmountOver("amount", 0), """{"amount": 0}"""));
    }

    [Theory]
    [InlineData("""{"customer_id": "prod-42"}""", true)]
    [InlineData("""{"customer_id": "test-42"}""", false)]
    [InlineData("""{"customer_id": "xprod-42"}""", false)]
    [InlineData("""{"customer_id": "pr\u006fd-42"}""", true)]
    public void Match_args_matches_the_argument_text(string arguments, bool applies)
    {
        Assert.Equal(applies, Applies(r => r.WhenArgumentMatches("customer_id", "^prod-"), arguments));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"customer_id": null}""")]
    [InlineData("""{"customer_id": {"id": "prod-1"}}""")]
    [InlineData("""{"customer_id": ["prod-1"]}""")]
    public void Match_args_cannot_be_evaluated_for_a_missing_null_or_structured_argument(string arguments)
    {
        Assert.True(CannotEvaluate(r => r.WhenArgumentMatches("customer_id", "^prod-"), arguments));
    }

    [Fact]
    public void Match_args_searches_anywhere_unless_anchored()
    {
        Assert.True(Applies(r => r.WhenArgumentMatches("host", "prod"), """{"host": "db.prod.internal"}"""));
        Assert.False(Applies(r => r.WhenArgumentMatches("host", "^prod$"), """{"host": "db.prod.internal"}"""));
    }

    [Fact]
    public void Match_args_matches_numbers_and_booleans_on_their_json_text()
    {
        Assert.True(Applies(r => r.WhenArgumentMatches("amount", "^40"), """{"amount": 4000.5}"""));
        Assert.True(Applies(r => r.WhenArgumentMatches("force", "^true$"), """{"force": true}"""));
        Assert.False(Applies(r => r.WhenArgumentMatches("force", "^true$"), """{"force": false}"""));
    }

    [Fact]
    public void Match_args_handles_long_and_non_ascii_values()
    {
        var longValue = new string('x', 5000) + "prod";
        Assert.True(Applies(r => r.WhenArgumentMatches("v", "prod$"), JsonSerializer.Serialize(new { v = longValue })));
        Assert.True(Applies(r => r.WhenArgumentMatches("v", "^Zürich-\\d+$"), """{"v": "Zürich-12"}"""));
    }

    [Fact]
    public void Match_args_runs_in_linear_time_on_a_pattern_that_would_backtrack_catastrophically()
    {
        var hostile = JsonSerializer.Serialize(new { v = new string('a', 20_000) + "!" });

        Assert.False(Applies(r => r.WhenArgumentMatches("v", "^(a+)+$"), hostile));
    }

    [Fact]
    public void Every_condition_of_a_rule_must_hold()
    {
        void Both(PolicyRuleBuilder r) => r.WhenAmountOver("amount", 100).WhenArgumentMatches("currency", "^USD$");

        Assert.True(Applies(Both, """{"amount": 500, "currency": "USD"}"""));
        Assert.False(Applies(Both, """{"amount": 500, "currency": "EUR"}"""));
        Assert.False(Applies(Both, """{"amount": 50, "currency": "USD"}"""));
    }

    [Fact]
    public void Predicate_condition_sees_the_arguments()
    {
        static bool UsdOver100(JsonElement a) =>
            a.GetProperty("amount").GetDecimal() > 100 && a.GetProperty("currency").GetString() == "USD";

        Assert.True(Applies(r => r.When(UsdOver100), """{"amount": 500, "currency": "USD"}"""));
        Assert.False(Applies(r => r.When(UsdOver100), """{"amount": 500, "currency": "EUR"}"""));
    }

    [Fact]
    public void Exception_from_a_predicate_propagates_so_the_gate_can_fail_closed()
    {
        var evaluator = new PolicyEvaluator(new PolicyBuilder()
            .DefaultEffect(PolicyEffect.Allow)
            .ForTool("t", r => r.When(_ => throw new InvalidOperationException("boom")).Deny())
            .Build());

        Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(Calls.To("t")));
    }

    [Fact]
    public void Always_condition_always_holds()
    {
        Assert.True(Applies(r => r.Always(), "{}"));
        Assert.True(AlwaysCondition.Instance.IsSatisfiedBy(default));
    }

    [Fact]
    public void Rule_without_conditions_always_applies()
    {
        Assert.True(Applies(_ => { }, """{"anything": 1}"""));
    }

    [Fact]
    public void Conditions_are_exposed_on_the_rule()
    {
        var rule = new PolicyBuilder()
            .ForTool("t", r => r.WhenAmountOver("amount", 100).WhenArgumentMatches("id", "^p").Always().RequireApproval())
            .Build()
            .Rules[0];

        var amount = Assert.IsType<AmountOverCondition>(rule.Conditions[0]);
        Assert.Equal("amount", amount.ArgumentPath);
        Assert.Equal(100m, amount.Threshold);
        var match = Assert.IsType<ArgumentMatchCondition>(rule.Conditions[1]);
        Assert.Equal(("id", "^p"), (match.ArgumentPath, match.Pattern));
        Assert.Same(AlwaysCondition.Instance, rule.Conditions[2]);
        Assert.True(amount.IsSatisfiedBy(Calls.Json("""{"amount": 101}""")));
        Assert.False(amount.IsSatisfiedBy(Calls.Json("""{"amount": "lots"}""")));
    }
}
