namespace Countersign.Notifications;

/// <summary>Configures the <see cref="NotificationDispatcher"/>.</summary>
public sealed class NotificationDispatcherOptions
{
    /// <summary>Gets or sets how often failed or abandoned deliveries are looked for and tried again, from 100 milliseconds to one hour (default 5 seconds).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the wait after a first failure; each further failure doubles it (default 2 seconds).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest wait between two attempts (default 5 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many attempts a delivery gets before it is given up (default 20).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// Gets or sets how long a claimed delivery is held before another process may take it over, as after a crash
    /// (default 2 minutes). The holder extends it every half lease while its channel call runs.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the name this dispatcher claims deliveries under; a new unique name when <see langword="null"/>.</summary>
    public string? Owner { get; set; }

    /// <summary>Checks the options, listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        List<string> errors = [];
        if (RetryInterval < TimeSpan.FromMilliseconds(100) || RetryInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"RetryInterval must be between 100 milliseconds and one hour (was {RetryInterval}).");
        }

        if (FirstRetryDelay <= TimeSpan.Zero || FirstRetryDelay > MaxRetryDelay)
        {
            errors.Add($"FirstRetryDelay must be more than zero and at most MaxRetryDelay (was {FirstRetryDelay}).");
        }

        if (MaxRetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"MaxRetryDelay must be at most one day (was {MaxRetryDelay}).");
        }

        if (MaxAttempts < 1)
        {
            errors.Add($"MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"LeaseDuration must be between one second and one day (was {LeaseDuration}).");
        }

        if (Owner is not null && string.IsNullOrWhiteSpace(Owner))
        {
            errors.Add("Owner must not be blank.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid notification dispatcher options: " + string.Join(" ", errors));
        }
    }

    /// <summary>Copies the options, so a running dispatcher is not changed by later edits.</summary>
    internal NotificationDispatcherOptions Clone() => (NotificationDispatcherOptions)MemberwiseClone();
}
