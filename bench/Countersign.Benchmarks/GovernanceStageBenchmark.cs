using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Countersign.Governance;
using Countersign.Pipeline;
using Countersign.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Countersign.Benchmarks;

/// <summary>What each governance stage adds to an allowed call: halt (a halt in force for another agent), scope (a glob
/// scope), loops (default options, 1,024 sessions in turn: a window found and its ring scanned). The unguarded call is the baseline.</summary>
[MemoryDiagnoser]
public class GovernanceStageBenchmark
{
    private GateContext _context = null!;
    private GateContext[] _distinct = null!;
    private HaltStage _halt = null!;
    private ScopeStage _scope = null!;
    private LoopStage _loops = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var telemetry = new GateTelemetry(NullLogger.Instance, new GateMetrics(null), TimeProvider.System);
        var store = new InMemoryGovernanceStore();
        store.HaltAsync(new AgentHalt("other-agent", "alice", "drill", TimeProvider.System.GetUtcNow())).AsTask().GetAwaiter().GetResult();
        _halt = new HaltStage(store);
        _scope = new ScopeStage(new AgentScopes(new Dictionary<string, IReadOnlyList<string>> { ["agent-1"] = ["lookup_order", "refund_*", "ticket_?"] }, false), null, telemetry);
        var governance = new GateGovernance(store, null!, TimeProvider.System, telemetry, AgentScopes.Unrestricted);
        _loops = new LoopStage(new LoopOptions(), governance, TimeProvider.System, telemetry);
        _context = Context("s-1");
        _distinct = [.. Enumerable.Range(0, 1_024).Select(i => Context("s-" + i))];
    }

    [Benchmark(Baseline = true)]
    public int UnguardedCall() => Tool(_context);

    [Benchmark]
    public bool Halt() => Passed(_halt.AuthorizeAsync(_context, CancellationToken.None));

    [Benchmark]
    public bool Scope() => Passed(_scope.AuthorizeAsync(_context, CancellationToken.None));

    [Benchmark]
    public bool LoopsNewSession() => Passed(_loops.AuthorizeAsync(_distinct[_next++ & 0x3FF], CancellationToken.None));

    // Every stage measured here decides synchronously; a stage that did not would fail the benchmark rather than block.
    private static bool Passed(ValueTask<StageResult> result) =>
        result.IsCompletedSuccessfully ? result.Result.IsContinue : throw new InvalidOperationException("The stage did not decide synchronously.");

    [Benchmark]
    public int LoopWindowRecord()
    {
        var request = _distinct[_next++ & 0x3FF].Request;
        return _loops.Windows.Record(new LoopKey(request.AgentId, request.SessionId, request.ToolName, _context.PayloadHash), TimeProvider.System.GetTimestamp());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Tool(GateContext context) => context.Request.ToolName.Length;

    private static GateContext Context(string session) =>
        new(new ActionRequest { ToolName = "refund_card", Arguments = ActionArguments.From(new { amount = 40 }), AgentId = "agent-1", SessionId = session }, "act_1", "agent-1", null, TimeProvider.System)
        {
            PayloadHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        };
}
