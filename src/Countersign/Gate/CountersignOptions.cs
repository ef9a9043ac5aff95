using System.ComponentModel.DataAnnotations;

namespace Countersign;

/// <summary>
/// Settings of a gate. Bind them from configuration (section <c>Countersign</c>) or set them in code; the
/// <c>COUNTERSIGN_*</c> environment variables override both (see <see cref="CountersignEnvironment"/>).
/// </summary>
public sealed class CountersignOptions
{
    /// <summary>The default maximum size of a payload's canonical JSON: 1 MiB.</summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    /// <summary>Gets or sets the enforcement mode. Default: <see cref="EnforcementMode.Enforce"/>.</summary>
    public EnforcementMode EnforcementMode { get; set; } = EnforcementMode.Enforce;

    /// <summary>Gets or sets the percentage of calls enforced in <see cref="EnforcementMode.Sample"/> mode, 0 to 100. Default: 10.</summary>
    [Range(0d, 100d)]
    public double SamplePercent { get; set; } = 10;

    /// <summary>Gets or sets what a call that needs review does by default. Default: <see cref="OnReviewBehavior.Block"/>.</summary>
    public OnReviewBehavior OnReview { get; set; } = OnReviewBehavior.Block;

    /// <summary>Gets or sets how long reviewers have when the policy sets no timeout. Default: 5 minutes.</summary>
    public TimeSpan ReviewTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a granted approval stays usable before it must be claimed. Default: 15 minutes.</summary>
    public TimeSpan GrantValidity { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the largest canonical JSON payload accepted, in bytes. Default: 1 MiB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>Gets or sets the policy file (YAML or JSON) to load when no policy is given in code.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>Gets or sets the identity recorded as the requester when a call does not name one.</summary>
    public string? DefaultRequestedBy { get; set; }

    /// <summary>Gets or sets whether results of guarded calls are recorded (redacted) in the audit log. Default: true.</summary>
    public bool AuditResults { get; set; } = true;

    /// <summary>Gets or sets the longest result text kept in the audit log; longer results are cut. Default: 4096.</summary>
    [Range(0, int.MaxValue)]
    public int MaxAuditedResultLength { get; set; } = 4096;

    /// <summary>Gets or sets whether <c>COUNTERSIGN_*</c> environment variables override these settings. Default: true.</summary>
    public bool ReadEnvironment { get; set; } = true;

    /// <summary>Checks every setting and reports all problems at once.</summary>
    /// <exception cref="ArgumentException">One or more settings are invalid; the message lists each.</exception>
    public void Validate()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Countersign options: " + string.Join(" ", problems));
        }
    }

    /// <summary>Returns every problem with the settings, each as one sentence; empty when they are valid.</summary>
    internal List<string> FindProblems()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(EnforcementMode))
        {
            problems.Add($"EnforcementMode '{EnforcementMode}' is not a mode.");
        }

        if (!Enum.IsDefined(OnReview))
        {
            problems.Add($"OnReview '{OnReview}' is not a behaviour.");
        }

        if (double.IsNaN(SamplePercent) || SamplePercent is < 0 or > 100)
        {
            problems.Add($"SamplePercent must be between 0 and 100, got {SamplePercent}.");
        }

        if (ReviewTimeout <= TimeSpan.Zero)
        {
            problems.Add($"ReviewTimeout must be positive, got {ReviewTimeout}.");
        }

        if (GrantValidity <= TimeSpan.Zero)
        {
            problems.Add($"GrantValidity must be positive, got {GrantValidity}.");
        }

        if (MaxPayloadBytes <= 0)
        {
            problems.Add($"MaxPayloadBytes must be positive, got {MaxPayloadBytes}.");
        }

        if (MaxAuditedResultLength < 0)
        {
            problems.Add($"MaxAuditedResultLength cannot be negative, got {MaxAuditedResultLength}.");
        }

        return problems;
    }

    internal CountersignOptions Clone() => (CountersignOptions)MemberwiseClone();
}
