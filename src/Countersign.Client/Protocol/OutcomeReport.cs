using System.Text.Json;

namespace Countersign.Client.Protocol;

/// <summary>The body of <c>POST /v1/actions/{actionId}/outcome</c>: how an allowed call ended.</summary>
public sealed record OutcomeReport
{
    /// <summary>Gets whether the call succeeded.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Gets the call's result, recorded (redacted) when the server audits results.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>Gets what went wrong, for a failed call.</summary>
    public string? Error { get; init; }
}
