namespace Countersign.StoreConformance;

/// <summary>Marker for the conformance library; the suites live beside it.</summary>
public static class ConformanceSuite
{
    /// <summary>The name shown in test output.</summary>
    public const string Name = "Countersign store conformance";
}
