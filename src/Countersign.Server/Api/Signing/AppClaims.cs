namespace Countersign.Server.Api.Signing;

/// <summary>The claims of a request signed by an app.</summary>
internal static class AppClaims
{
    /// <summary>The claim holding the app id.</summary>
    public const string AppId = "countersign:app_id";
}
