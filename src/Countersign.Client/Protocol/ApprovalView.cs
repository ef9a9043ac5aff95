using System.Text.Json;

namespace Countersign.Client.Protocol;

/// <summary>An approval as the API shows it; arguments are redacted and statuses read as of the request.</summary>
public sealed record ApprovalView
{
    /// <summary>Gets the approval's identifier.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the call it was created for.</summary>
    public required string ActionId { get; init; }

    /// <summary>Gets the tool name.</summary>
    public required string Tool { get; init; }

    /// <summary>Gets <c>pending</c>, <c>granted</c>, <c>denied</c>, <c>expired</c> or <c>consumed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    public required string Risk { get; init; }

    /// <summary>Gets the arguments with the policy's redacted fields masked.</summary>
    public JsonElement Arguments { get; init; }

    /// <summary>Gets the agent that proposed the call.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the agent's session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the identity on whose behalf the call is made.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Gets the description shown to reviewers.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the policy's reasons.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets how many distinct approvals grant it.</summary>
    public int Quorum { get; init; }

    /// <summary>Gets the roles allowed to review it; empty for any reviewer.</summary>
    public IReadOnlyList<string> ReviewerRoles { get; init; } = [];

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when an undecided request expires.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets when a grant stops being usable.</summary>
    public DateTimeOffset? GrantExpiresAt { get; init; }

    /// <summary>Gets when the grant was claimed.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>Gets the reviews so far, in order: the approval's history.</summary>
    public IReadOnlyList<ReviewView> Reviews { get; init; } = [];
}
