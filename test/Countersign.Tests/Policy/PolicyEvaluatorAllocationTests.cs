using Countersign.Benchmarks;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyEvaluatorAllocationTests
{
    [Fact]
    public void Allow_decided_by_one_rule_does_not_allocate()
    {
        var evaluator = new PolicyEvaluator(HundredRulePolicy.Build());
        var known = Calls.To("read_record_17", """{"id": "rec-1", "amount": 12, "customer_id": "test-9"}""", agent: "reader-1");
        var globbed = Calls.To("list_anything", """{"page": 2}""", agent: "reader-1");
        Assert.Equal(PolicyEffect.Allow, evaluator.Evaluate(known).Effect);
        Assert.Equal(PolicyEffect.Allow, evaluator.Evaluate(globbed).Effect);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(known);
            evaluator.Evaluate(globbed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Default_decision_does_not_allocate()
    {
        var evaluator = new PolicyEvaluator(HundredRulePolicy.Build());
        var unknown = Calls.To("nothing_matches_this", "{}");
        evaluator.Evaluate(unknown);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(unknown);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Sample_policy_gives_each_verdict()
    {
        var evaluator = new PolicyEvaluator(HundredRulePolicy.Build());

        Assert.Equal(PolicyEffect.RequireApproval, evaluator.Evaluate(Calls.To("refund_3", """{"amount": 5000}""", "billing-1")).Effect);
        Assert.Equal(PolicyEffect.Deny, evaluator.Evaluate(Calls.To("delete_user", "{}", "reader-1")).Effect);
        Assert.Equal(PolicyEffect.RequireApproval, evaluator.Evaluate(Calls.To("update_customer_4", """{"customer_id": "prod-1"}""", "ops-1")).Effect);
    }
}
