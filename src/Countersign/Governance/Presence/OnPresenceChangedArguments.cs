namespace Countersign.Governance;

/// <summary>What an <see cref="PresenceOptions.OnPresenceChanged"/> callback receives.</summary>
public sealed class OnPresenceChangedArguments
{
    internal OnPresenceChangedArguments(PresenceChange change)
    {
        Change = change;
    }

    /// <summary>Gets the change.</summary>
    public PresenceChange Change { get; }
}
