namespace Countersign.Server.Api.Apps;

/// <summary>A registered app as stored: the signing key is the SHA-256 of its secret; the secret itself is never kept.</summary>
internal sealed record AppRecord(string AppId, string Name, byte[] SigningKey, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
