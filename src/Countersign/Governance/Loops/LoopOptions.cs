namespace Countersign.Governance;

/// <summary>What <see cref="LoopGateBuilderExtensions.AddLoopDetection"/> configures: how many identical calls a window allows.</summary>
public sealed class LoopOptions
{
    /// <summary>Gets or sets how many calls of one tool with one payload an agent's session may make within <see cref="Window"/>; the next is denied. Default 5.</summary>
    public int MaxRepeats { get; set; } = 5;

    /// <summary>Gets or sets the sliding window. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets whether a detected loop also halts the agent (until an operator resumes it). Default off.</summary>
    public bool HaltAgent { get; set; }

    /// <summary>
    /// Gets or sets how many windows (agent, session, tool, payload) are kept at most. Idle windows are evicted after a
    /// window's length; when more are active than this, the least recently used generation is dropped. Default 100,000.
    /// </summary>
    public int MaxTrackedWindows { get; set; } = 100_000;

    /// <summary>Gets or sets a callback run when a loop is detected.</summary>
    public Func<OnLoopDetectedArguments, ValueTask>? OnLoopDetected { get; set; }

    internal void Validate(List<string> errors)
    {
        if (MaxRepeats is < 1 or > 10_000)
        {
            errors.Add("Loops: MaxRepeats must be between 1 and 10,000 (each window keeps that many timestamps).");
        }

        if (Window <= TimeSpan.Zero)
        {
            errors.Add("Loops: Window must be more than zero.");
        }

        if (MaxTrackedWindows < 2)
        {
            errors.Add("Loops: MaxTrackedWindows must be at least 2.");
        }
    }
}
