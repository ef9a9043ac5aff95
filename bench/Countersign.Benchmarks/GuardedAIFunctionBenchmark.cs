using BenchmarkDotNet.Attributes;
using Countersign.AI;
using Countersign.Policy;
using Microsoft.Extensions.AI;

namespace Countersign.Benchmarks;

/// <summary>The cost a guarded AIFunction adds on the allow path (in-memory store and audit) over the bare function.</summary>
[MemoryDiagnoser]
public class GuardedAIFunctionBenchmark
{
    private ActionGate _gate = null!;
    private AIFunction _bare = null!;
    private AIFunction _guarded = null!;
    private AIFunctionArguments _arguments = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gate = new ActionGateBuilder()
            .UsePolicy(new PolicyBuilder().ForTool("lookup_order", r => r.Allow()).Build())
            .UseEnvironment(_ => null)
            .Configure(o => o.AuditResults = false)
            .Build();
        _bare = AIFunctionFactory.Create((string orderId) => orderId, "lookup_order", "Looks up an order.");
        _guarded = _bare.WithCountersign(_gate, new CountersignToolOptions { AgentId = "bench-agent" });
        _arguments = new AIFunctionArguments { ["orderId"] = "ord_1" };
    }

    [GlobalCleanup]
    public void Cleanup() => _gate.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<object?> Bare() => _bare.InvokeAsync(_arguments);

    [Benchmark]
    public ValueTask<object?> Guarded() => _guarded.InvokeAsync(_arguments);
}
