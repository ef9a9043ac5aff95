using System.Globalization;

namespace Countersign.LoadHarness;

/// <summary>Summarises latencies in milliseconds.</summary>
internal static class Percentiles
{
    public static string Describe(List<double> samples)
    {
        samples.Sort();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"n={samples.Count} p50={At(samples, 0.50):0.000} ms p90={At(samples, 0.90):0.000} ms p99={At(samples, 0.99):0.000} ms max={samples[^1]:0.000} ms mean={samples.Average():0.000} ms");
    }

    public static double At(List<double> sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
