using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Countersign.Telemetry;

/// <summary>
/// The names of Countersign's <see cref="ActivitySource"/> and <see cref="Meter"/>, for OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c>.
/// </summary>
public static class CountersignTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>Countersign</c>.</summary>
    public const string Name = "Countersign";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(CountersignTelemetry).Assembly.GetName().Version?.ToString());
}
