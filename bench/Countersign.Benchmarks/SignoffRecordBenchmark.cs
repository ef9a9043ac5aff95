using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Countersign.Signoff;

namespace Countersign.Benchmarks;

/// <summary>
/// What a sign-off gated record costs next to a plain class of the same shape. The target: setting a property that is
/// not gated costs at most 20 ns more than on the plain class (it is an ordinary auto-property, so the expected
/// difference is nil). Transitions and construction run the gate and are shown for scale.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SignoffRecordBenchmark
{
    private const int Sets = 1_000;

    private static readonly HumanSignoff Signoff = new(
        "I reviewed the rollout plan and the canary metrics; ship it to production.", "alice@example.com");

    private readonly string[] _notes = ["canary green", "error rate flat"];
    private readonly PlainDeployment _plain = new() { DeploymentId = "dep-1", Status = "applied", Signoff = Signoff };
    private readonly GatedDeployment _gated = new("dep-1", "applied", Signoff);

    [Benchmark(Baseline = true, OperationsPerInvoke = Sets)]
    [BenchmarkCategory("Set a property that is not gated")]
    public PlainDeployment Plain_class_property_set()
    {
        var deployment = _plain;
        var notes = _notes;
        for (var i = 0; i < Sets; i++)
        {
            deployment.Notes = notes[i & 1];
        }

        return deployment;
    }

    [Benchmark(OperationsPerInvoke = Sets)]
    [BenchmarkCategory("Set a property that is not gated")]
    public GatedDeployment Gated_record_property_set()
    {
        var deployment = _gated;
        var notes = _notes;
        for (var i = 0; i < Sets; i++)
        {
            deployment.Notes = notes[i & 1];
        }

        return deployment;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Change the status")]
    public PlainDeployment Plain_class_status_set()
    {
        _plain.Status = _plain.Status == "applied" ? "signed_off" : "applied";
        _plain.Signoff = Signoff;
        return _plain;
    }

    [Benchmark]
    [BenchmarkCategory("Change the status")]
    public GatedDeployment Gated_record_transition()
    {
        _gated.TransitionTo(_gated.Status == "applied" ? "signed_off" : "applied", Signoff);
        return _gated;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Construct in a gated status")]
    public PlainDeployment Plain_class_construction() => new() { DeploymentId = "dep-2", Status = "applied", Signoff = Signoff };

    [Benchmark]
    [BenchmarkCategory("Construct in a gated status")]
    public GatedDeployment Gated_record_construction() => new("dep-2", "applied", Signoff);

    /// <summary>The unguarded shape: anything can set anything.</summary>
    public sealed class PlainDeployment
    {
        public required string DeploymentId { get; init; }

        public required string Status { get; set; }

        public HumanSignoff? Signoff { get; set; }

        public string? Notes { get; set; }
    }

    [SignoffGate("signed_off", "applied", "rolled_back")]
    public sealed record GatedDeployment(string DeploymentId, string Status, HumanSignoff? Signoff = null)
        : SignoffGatedRecord<string>(Status, Signoff)
    {
        public string? Notes { get; set; }
    }
}
