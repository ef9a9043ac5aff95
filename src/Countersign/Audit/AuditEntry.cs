namespace Countersign.Audit;

/// <summary>
/// One event in the life of an intercepted call, as handed to an <see cref="IAuditLog"/>. Arguments are stored
/// already redacted; the payload hash still covers the redacted fields.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Gets when the event happened.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the step this entry records.</summary>
    public required AuditEventKind Kind { get; init; }

    /// <summary>Gets the intercepted call's identifier; every entry of one call shares it.</summary>
    public required string ActionId { get; init; }

    /// <summary>Gets the tool name.</summary>
    public required string ToolName { get; init; }

    /// <summary>Gets the agent that proposed the call.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the agent's session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the identity on whose behalf the call was made.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Gets the arguments as canonical JSON with redacted fields masked.</summary>
    public string? ArgumentsJson { get; init; }

    /// <summary>Gets the keyed payload hash.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>Gets the verdict: <c>allow</c>, <c>deny</c> or <c>require_approval</c>.</summary>
    public string? Verdict { get; init; }

    /// <summary>Gets the enforcement mode in force: <c>enforce</c>, <c>shadow</c> or <c>sample</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Gets whether a shadowed call would have been blocked under enforcement.</summary>
    public bool? WouldBlock { get; init; }

    /// <summary>Gets whether the call needed a human decision.</summary>
    public bool? NeededApproval { get; init; }

    /// <summary>Gets whether the call was approved (by policy or by reviewers).</summary>
    public bool? Approved { get; init; }

    /// <summary>Gets the approval request's identifier, if one was made.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>Gets where the decision came from: <c>policy</c>, <c>console</c>, <c>web</c>, <c>timeout</c>, ...</summary>
    public string? DecisionSource { get; init; }

    /// <summary>Gets who decided: a reviewer's identity, or <c>policy</c>.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets the reviewer's verbatim comment.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets the roles the actor held when deciding (a reviewer's roles), when known.</summary>
    public IReadOnlyList<string> ActorRoles { get; init; } = [];

    /// <summary>Gets the reasons given by the policy or the gate.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets why the call may run: <c>allow</c>, <c>approved</c>, <c>shadow_mode</c>, <c>review_shadow</c> or <c>fail_open</c>.</summary>
    public string? ExecutionPath { get; init; }

    /// <summary>Gets whether the call ran.</summary>
    public bool? Executed { get; init; }

    /// <summary>Gets the call's result as JSON, redacted, when recorded.</summary>
    public string? ResultJson { get; init; }

    /// <summary>Gets the call's error, when it threw, or the denial's message when it did not run.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the stable code of the denial when the call did not run, for example <c>policy</c> or <c>timeout</c>.</summary>
    public string? DenialCode { get; init; }
}
