using System.Text.Json;
using Countersign.Approvals;
using Countersign.Client.Protocol;

namespace Countersign.Server.Api.Approvals;

/// <summary>Describes approvals as the API shows them, read as of a given time.</summary>
internal static class ApprovalViews
{
    public static ApprovalView From(ApprovalRequest stored, DateTimeOffset now)
    {
        var approval = ApprovalTransitions.AsSeenAt(stored, now);
        return new ApprovalView
        {
            Id = approval.Id,
            ActionId = approval.ActionId,
            Tool = approval.ToolName,
            Status = StatusName(approval.Status),
            Risk = approval.Risk.ToString().ToLowerInvariant(),
            Arguments = Parse(approval.RedactedArgumentsJson),
            AgentId = approval.AgentId,
            SessionId = approval.SessionId,
            RequestedBy = approval.RequestedBy,
            Description = approval.Description,
            Reasons = approval.Reasons,
            Quorum = approval.Quorum,
            ReviewerRoles = approval.ReviewerRoles,
            CreatedAt = approval.CreatedAt,
            ExpiresAt = approval.ExpiresAt,
            GrantExpiresAt = approval.GrantExpiresAt,
            ConsumedAt = approval.ConsumedAt,
            Reviews = [.. approval.Decisions.Select(d => new ReviewView(d.Reviewer, d.Approved, d.Comment, d.DecidedAt, d.Source))],
        };
    }

    public static string StatusName(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
