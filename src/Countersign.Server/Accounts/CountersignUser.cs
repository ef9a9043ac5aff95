namespace Countersign.Server.Accounts;

/// <summary>A human user of the reviewer web UI: a unique name, one role and a password hash.</summary>
public sealed record CountersignUser
{
    /// <summary>Gets the user's name: unique, compared ignoring letter case; the identity recorded on their reviews.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the user's role: <see cref="CountersignRoles.Admin"/>, <see cref="CountersignRoles.Reviewer"/> or <see cref="CountersignRoles.Viewer"/>.</summary>
    public required string Role { get; init; }

    /// <summary>Gets the password hash in the framework's <c>PasswordHasher</c> format; never the password itself.</summary>
    public required string PasswordHash { get; init; }

    /// <summary>Gets when the user was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
