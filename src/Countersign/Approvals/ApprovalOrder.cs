namespace Countersign.Approvals;

/// <summary>The order of an <see cref="ApprovalQuery"/>'s results: by creation time, then by id, both the same way.</summary>
public enum ApprovalOrder
{
    /// <summary>The most recently created approval first.</summary>
    NewestFirst = 0,

    /// <summary>The earliest created approval first.</summary>
    OldestFirst = 1,
}
