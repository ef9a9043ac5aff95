using System.Diagnostics.Metrics;

namespace Countersign.Telemetry;

/// <summary>The gate's instruments. Recording never throws: a broken listener must not break a guarded call.</summary>
internal sealed class GateMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _wouldBlock;
    private readonly Histogram<double> _approvalWait;
    private readonly Histogram<double> _overhead;
    private readonly Counter<long> _auditFailures;

    public GateMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(CountersignTelemetry.Name) ?? new Meter(CountersignTelemetry.Name);
        _decisions = _meter.CreateCounter<long>("countersign.gate.decisions", "{decision}", "Guarded calls by verdict and enforcement mode.");
        _wouldBlock = _meter.CreateCounter<long>("countersign.gate.would_block", "{call}", "Calls run in shadow mode that enforcement would have blocked or held.");
        // OpenTelemetry semantic conventions: durations are histograms named *.duration, in seconds.
        _approvalWait = _meter.CreateHistogram<double>("countersign.approval.wait.duration", "s", "Time a blocked call waited for reviewers.");
        _overhead = _meter.CreateHistogram<double>("countersign.gate.overhead.duration", "s", "Time spent in the gate, excluding the guarded call and waiting for reviewers.");
        _auditFailures = _meter.CreateCounter<long>("countersign.audit.failures", "{failure}", "Audit appends that failed after a call had already run.");
    }

    public void Decision(string verdict, string mode) =>
        Safe(() => _decisions.Add(1, new KeyValuePair<string, object?>(CountersignTelemetry.VerdictAttribute, verdict), new KeyValuePair<string, object?>(CountersignTelemetry.ModeAttribute, mode)));

    public void WouldBlock(string tool) => Safe(() => _wouldBlock.Add(1, new KeyValuePair<string, object?>(CountersignTelemetry.ToolNameAttribute, tool)));

    public void ApprovalWait(TimeSpan elapsed, string outcome) =>
        Safe(() => _approvalWait.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(CountersignTelemetry.ApprovalStatusAttribute, outcome)));

    public void Overhead(TimeSpan elapsed) => Safe(() => _overhead.Record(elapsed.TotalSeconds));

    public void AuditFailure() => Safe(() => _auditFailures.Add(1));

    public void Dispose() => _meter.Dispose();

    private static void Safe(Action record)
    {
        try
        {
            record();
        }
#pragma warning disable CA1031 // A metrics listener's exception must never reach a guarded call.
        catch
        {
        }
#pragma warning restore CA1031
    }
}
