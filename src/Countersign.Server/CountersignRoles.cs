namespace Countersign.Server;

/// <summary>
/// The roles of the server's human users, carried as <see cref="System.Security.Claims.ClaimTypes.Role"/> claims.
/// </summary>
public static class CountersignRoles
{
    /// <summary>Manages users and apps, and reviews.</summary>
    public const string Admin = "admin";

    /// <summary>Reviews approvals: approves or denies.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Reads queues, history, audit and the dashboard; decides nothing.</summary>
    public const string Viewer = "viewer";
}
