namespace Countersign.Hosting;

/// <summary>
/// Options of the scheduled audit verification that <c>AddCountersign</c> registers: configuration section
/// <c>Countersign:AuditVerification</c>.
/// </summary>
public sealed class AuditVerificationOptions
{
    /// <summary>
    /// Gets or sets how often the whole audit chain is verified while the host runs; <see langword="null"/> (the
    /// default) never verifies on a schedule. At least one minute.
    /// </summary>
    public TimeSpan? Interval { get; set; }

    internal List<string> FindProblems() =>
        Interval is { } interval && interval < TimeSpan.FromMinutes(1)
            ? [$"AuditVerification:Interval must be at least one minute, got {interval}."]
            : [];
}
