namespace Countersign.Approvals;

/// <summary>Configures the <see cref="ApprovalExpirySweeper"/>.</summary>
public sealed class ApprovalExpirySweeperOptions
{
    /// <summary>The default <see cref="Interval"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how often the sweeper expires due approvals, from one second to one day. Queries already show an
    /// approval past its expiry as expired; the sweep records it, wakes waiters and reports it on the change feed.
    /// </summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>Gets or sets whether the hosted sweeper runs; <see cref="ApprovalExpirySweeper.SweepAsync"/> works either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The interval is out of range.</exception>
    public void Validate()
    {
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"Invalid approval expiry sweeper options: Interval must be between one second and one day (was {Interval}).");
        }
    }
}
