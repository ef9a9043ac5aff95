namespace Countersign.Notifications;

/// <summary>What a channel is told about an approval.</summary>
public enum NotificationKind
{
    /// <summary>The approval is pending: ask the reviewers (<see cref="Channels.IApprovalChannel.NotifyAsync"/>).</summary>
    Announce = 0,

    /// <summary>The approval was granted, denied, expired or used (<see cref="Channels.IApprovalChannel.ResolvedAsync"/>).</summary>
    Resolution = 1,
}
