namespace Countersign.Server;

/// <summary>The authentication schemes and authorization policies the server registers.</summary>
public static class CountersignAuthentication
{
    /// <summary>The cookie scheme of human users signed in to the web UI (and calling the API from it).</summary>
    public const string CookieScheme = "Countersign.Cookie";

    /// <summary>The scheme of remote agents (apps) that sign every request with their secret.</summary>
    public const string AppSignatureScheme = "Countersign.AppSignature";

    /// <summary>The policy of endpoints only admins use: users and apps.</summary>
    public const string AdminPolicy = "Countersign.Admin";

    /// <summary>The policy of endpoints that decide approvals: admins and reviewers.</summary>
    public const string ReviewerPolicy = "Countersign.Reviewer";

    /// <summary>The policy of endpoints that read queues, history, audit and the dashboard: any signed-in user.</summary>
    public const string ViewerPolicy = "Countersign.Viewer";

    /// <summary>The policy of endpoints remote agents call: submit, wait, claim, report.</summary>
    public const string AppPolicy = "Countersign.App";
}
