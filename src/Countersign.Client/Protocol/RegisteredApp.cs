namespace Countersign.Client.Protocol;

/// <summary>A registered app (remote agent).</summary>
public sealed record RegisteredApp
{
    /// <summary>Gets the app id, sent as the signature's key id.</summary>
    public required string AppId { get; init; }

    /// <summary>Gets the display name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the secret: set only in the answer to the registration, never shown again.</summary>
    public string? Secret { get; init; }

    /// <summary>Gets when it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it was revoked; a revoked app's requests are refused.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
