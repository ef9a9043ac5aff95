using Countersign.Pipeline;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Countersign.Policy;
using Countersign.Telemetry;
using Countersign.Tests.Gate;

namespace Countersign.Tests.Telemetry;

public sealed class GateTelemetryTests
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("read_record", r => r.Allow())
        .ForTool("delete_user", r => r.Deny("never"))
        .Build();

    [Fact]
    public async Task Decisions_would_blocks_and_overhead_are_measured_on_the_Countersign_meter()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CountersignTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, ToDictionary(tags))));
        listener.Start();
        var shadow = new GateHarness(Policy, o => o.EnforcementMode = EnforcementMode.Shadow);

        await shadow.Gate.ExecuteAsync(ActionRequest.Create("read_record"), _ => new ValueTask<int>(1));
        await shadow.Gate.ExecuteAsync(ActionRequest.Create("delete_user"), _ => new ValueTask<int>(1));

        Assert.Contains(measurements, m => m.Instrument == "countersign.gate.decisions" && Equals(m.Tags["countersign.verdict"], "allow") && Equals(m.Tags["countersign.mode"], "shadow"));
        Assert.Contains(measurements, m => m.Instrument == "countersign.gate.decisions" && Equals(m.Tags["countersign.verdict"], "deny"));
        Assert.Contains(measurements, m => m.Instrument == "countersign.gate.would_block" && Equals(m.Tags["gen_ai.tool.name"], "delete_user"));

        // Durations in seconds, as OpenTelemetry's conventions ask: a gate's overhead is far below one second.
        Assert.Contains(measurements, m => m.Instrument == "countersign.gate.overhead.duration" && m.Value is >= 0 and < 1);
    }

    [Fact]
    public async Task Each_guarded_call_is_an_activity_on_the_Countersign_source()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CountersignTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var harness = new GateHarness(Policy);

        await harness.Gate.ExecuteAsync(ActionRequest.Create("read_record"), _ => new ValueTask<int>(1));

        var activity = Assert.Single(activities, a => Equals(a.GetTagItem("gen_ai.tool.name"), "read_record"));
        Assert.Equal("allow", activity.GetTagItem("countersign.verdict"));
        Assert.Equal("allow", activity.GetTagItem("countersign.execution_path"));
        Assert.NotNull(activity.GetTagItem("countersign.action_id"));
        Assert.Equal(ActivityStatusCode.Unset, activity.Status);
    }

    [Fact]
    public async Task A_denied_call_and_a_call_that_throws_mark_their_spans_as_errors()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CountersignTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var harness = new GateHarness(Policy);

        // Other tests run at the same time on the same source: this test's spans are the children of its own span.
        using var source = new ActivitySource("Countersign.Tests.Telemetry");
        using var listenToTest = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listenToTest);
        string parentId;
        using (var parent = source.StartActivity("test")!)
        {
            parentId = parent.Id!;
            await Assert.ThrowsAsync<ActionDeniedException>(() => harness.Gate.ExecuteAsync(ActionRequest.Create("delete_user"), _ => new ValueTask<int>(1)));
            await Assert.ThrowsAsync<TimeoutException>(() => harness.Gate.ExecuteAsync<int>(ActionRequest.Create("read_record"), _ => throw new TimeoutException("slow")));
        }

        var mine = activities.Where(a => a.ParentId == parentId).ToList();
        var denied = Assert.Single(mine, a => Equals(a.GetTagItem("gen_ai.tool.name"), "delete_user"));
        Assert.Equal(ActivityStatusCode.Error, denied.Status);
        Assert.Equal("policy", denied.GetTagItem("countersign.denial.code"));
        var failed = Assert.Single(mine, a => Equals(a.GetTagItem("gen_ai.tool.name"), "read_record"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(TimeoutException).FullName, failed.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_metrics_listener_that_throws_never_breaks_a_guarded_call()
    {
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CountersignTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => throw new InvalidOperationException("exporter down"));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("exporter down"));
        listener.Start();
        var harness = new GateHarness(Policy);

        var result = await harness.Gate.ExecuteAsync(ActionRequest.Create("read_record"), _ => new ValueTask<string>("record"));

        Assert.Equal("record", result);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }

    [Fact]
    public async Task A_logging_provider_that_throws_never_breaks_a_guarded_call()
    {
        var gate = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseLoggerFactory(new ThrowingLoggerFactory())
            .UseEnvironment(_ => null)
            .Build();

        var result = await gate.ExecuteAsync(ActionRequest.Create("read_record"), _ => new ValueTask<string>("record"));
        var denied = await Assert.ThrowsAsync<ActionDeniedException>(() => gate.ExecuteAsync(ActionRequest.Create("delete_user"), _ => new ValueTask<string>("gone")));

        Assert.Equal("record", result);
        Assert.Equal(DenialReason.Policy, denied.DenialReason);
    }

    private sealed class ThrowingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new ThrowingLogger();

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => throw new IOException("log disk full");

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new IOException("log disk full");
    }
}
