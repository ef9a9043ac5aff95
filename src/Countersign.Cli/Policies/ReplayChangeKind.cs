namespace Countersign.Cli.Policies;

/// <summary>How a replayed action's verdict under the new policy compares with the recorded one.</summary>
internal enum ReplayChangeKind
{
    Unchanged,

    /// <summary>Recorded as allowed or denied; the new policy would hold it for a human.</summary>
    NewlyHeld,

    /// <summary>Recorded as held or denied; the new policy would let it run.</summary>
    NewlyAllowed,

    /// <summary>Recorded as allowed or held; the new policy would refuse it.</summary>
    NewlyDenied,

    /// <summary>A rule that could apply tests a field that was redacted when recorded: the verdict cannot be known.</summary>
    Unknowable,
}
