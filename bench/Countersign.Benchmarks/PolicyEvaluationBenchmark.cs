using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Countersign.Policy;

namespace Countersign.Benchmarks;

/// <summary>
/// What deciding one call costs with a 100-rule policy (exact names, globs, agent patterns, amount and regex
/// conditions, a fallback). The unguarded call is the baseline.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmark
{
    private PolicyEvaluator _evaluator = null!;
    private ActionRequest _exactToolAllowed = null!;
    private ActionRequest _globToolAllowed = null!;
    private ActionRequest _refundNeedsApproval = null!;

    [GlobalSetup]
    public void Setup()
    {
        _evaluator = new PolicyEvaluator(HundredRulePolicy.Build());
        _exactToolAllowed = Request("read_record_17", """{"id": "rec-1", "amount": 12, "customer_id": "test-9"}""", "reader-1");
        _globToolAllowed = Request("tool_7_restart", """{"service": "billing"}""", "ops-2");
        _refundNeedsApproval = Request("refund_3", """{"amount": 4000, "card": {"number": "4111111111111111"}}""", "billing-1");
        if (_evaluator.Evaluate(_exactToolAllowed).Effect != PolicyEffect.Allow
            || _evaluator.Evaluate(_globToolAllowed).Effect != PolicyEffect.Allow
            || _evaluator.Evaluate(_refundNeedsApproval).Effect != PolicyEffect.RequireApproval)
        {
            throw new InvalidOperationException("The benchmark policy does not decide as intended.");
        }
    }

    [Benchmark(Baseline = true)]
    public int UnguardedCall() => Tool(_exactToolAllowed);

    [Benchmark]
    public PolicyEffect AllowExactTool() => _evaluator.Evaluate(_exactToolAllowed).Effect;

    [Benchmark]
    public PolicyEffect AllowGlobTool() => _evaluator.Evaluate(_globToolAllowed).Effect;

    [Benchmark]
    public PolicyEffect RequireApprovalWithAmount() => _evaluator.Evaluate(_refundNeedsApproval).Effect;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Tool(ActionRequest request) => request.ToolName.Length;

    private static ActionRequest Request(string tool, string arguments, string agent)
    {
        using var document = JsonDocument.Parse(arguments);
        return new ActionRequest { ToolName = tool, Arguments = document.RootElement.Clone(), AgentId = agent };
    }
}
