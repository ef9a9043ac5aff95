using Countersign;
using Countersign.Policy;
using Countersign.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// Countersign's spans and metrics, exported to the console by the OpenTelemetry SDK.
var resource = ResourceBuilder.CreateDefault().AddService("countersign-telemetry-sample");
using var tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(CountersignTelemetry.Name)
    .AddConsoleExporter()
    .Build();
using var metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(CountersignTelemetry.Name)
    .AddConsoleExporter()
    .Build();

await using var gate = new ActionGateBuilder()
    .UsePolicy(new PolicyBuilder()
        .ForTool("read_*", rule => rule.Allow())
        .ForTool("drop_table", rule => rule.Deny("never drop a table"))
        .Build())
    .Build();

Console.WriteLine(await gate.ExecuteAsync(ActionRequest.Create("read_invoice"), _ => new ValueTask<string>("invoice 42")));
try
{
    await gate.ExecuteAsync(ActionRequest.Create("drop_table"), _ => new ValueTask<int>(0));
}
catch (ActionDeniedException denied)
{
    Console.WriteLine(denied.Message);
}

// Disposing the providers flushes the spans and the metrics to the console.
