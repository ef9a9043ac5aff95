using System.Diagnostics.CodeAnalysis;

namespace Countersign.Approvals;

/// <summary>
/// One change to an approval, from the store's change feed (<see cref="IApprovalStore.WatchAsync"/>): what happened,
/// the approval as it was right after the change, and the change's position in the feed.
/// </summary>
public sealed class ApprovalEvent
{
    /// <summary>Creates an event for a change to an approval.</summary>
    /// <param name="position">The change's position in the feed; positions increase in the order changes were committed.</param>
    /// <param name="kind">What happened; not <see cref="ApprovalEventKind.Gap"/> (see <see cref="Gap"/>).</param>
    /// <param name="approval">The approval as it was right after the change.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is below 1, or <paramref name="kind"/> is not a change.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="approval"/> is <see langword="null"/>.</exception>
    public ApprovalEvent(long position, ApprovalEventKind kind, ApprovalRequest approval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        if (kind is < ApprovalEventKind.Created or >= ApprovalEventKind.Gap)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "An approval event reports a change; use ApprovalEvent.Gap for lost events.");
        }

        ArgumentNullException.ThrowIfNull(approval);
        Position = position;
        Kind = kind;
        Approval = approval;
    }

    private ApprovalEvent(long position)
    {
        Position = position;
        Kind = ApprovalEventKind.Gap;
    }

    /// <summary>
    /// Gets the change's position in the feed. Positions increase in commit order (not necessarily by one) and belong to
    /// the database: pass the last one seen to <see cref="IApprovalStore.WatchAsync"/> to resume after it.
    /// </summary>
    public long Position { get; }

    /// <summary>Gets what happened.</summary>
    public ApprovalEventKind Kind { get; }

    /// <summary>Gets the approval as it was right after the change; <see langword="null"/> only for a gap.</summary>
    public ApprovalRequest? Approval { get; }

    /// <summary>Gets the id of the approval that changed; <see langword="null"/> only for a gap.</summary>
    public string? ApprovalId => Approval?.Id;

    /// <summary>Gets whether events were lost before this one (see <see cref="ApprovalEventKind.Gap"/>).</summary>
    [MemberNotNullWhen(false, nameof(Approval))]
    public bool IsGap => Approval is null;

    /// <summary>Creates the event that tells a subscriber it missed events and must read its approvals again.</summary>
    /// <param name="position">The position after which the feed continues without a gap.</param>
    /// <returns>The gap event.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    public static ApprovalEvent Gap(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return new ApprovalEvent(position);
    }

    /// <inheritdoc />
    public override string ToString() => IsGap ? $"#{Position} gap" : $"#{Position} {Kind} {Approval.Id} ({Approval.Status})";
}
