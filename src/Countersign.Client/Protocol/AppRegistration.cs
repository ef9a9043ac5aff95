namespace Countersign.Client.Protocol;

/// <summary>The body of <c>POST /v1/apps</c>: registers a remote agent.</summary>
public sealed record AppRegistration
{
    /// <summary>Gets the app's display name, 1 to 100 characters.</summary>
    public required string Name { get; init; }
}
