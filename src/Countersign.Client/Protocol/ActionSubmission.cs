using System.Text.Json;

namespace Countersign.Client.Protocol;

/// <summary>The body of <c>POST /v1/actions</c> and <c>POST /v1/approvals/{id}/claim</c>: the call an agent wants to make.</summary>
public sealed record ActionSubmission
{
    /// <summary>Gets the tool or action name the policy matches.</summary>
    public required string Tool { get; init; }

    /// <summary>Gets the call's arguments (a JSON value, usually an object); absent means an empty object.</summary>
    public JsonElement? Arguments { get; init; }

    /// <summary>Gets the agent proposing the call; the app id when absent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the agent's session or conversation.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the identity on whose behalf the call is made; that identity can never approve it.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Gets the key that identifies this logical call across retries and restarts; the server assigns one when absent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the description shown to reviewers.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Gets what a call that needs review does: <c>pending</c> (the default: answer pending and let the caller wait),
    /// <c>fail_open</c> or <c>shadow</c> (run without review, recorded as would-block).
    /// </summary>
    public string? OnReview { get; init; }

    /// <summary>Gets how long reviewers have, in seconds; the policy's or the server's timeout when absent.</summary>
    public int? ReviewTimeoutSeconds { get; init; }
}
