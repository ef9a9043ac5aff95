namespace Countersign.Client.Protocol;

/// <summary>The body of <c>POST /v1/approvals/{id}/reviews</c>: a reviewer's decision.</summary>
public sealed record ReviewSubmission
{
    /// <summary>Gets <c>approve</c> or <c>deny</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>Gets the reviewer's comment; handed to the agent on a denial.</summary>
    public string? Comment { get; init; }
}
