namespace Countersign.Server.Ui;

/// <summary>Request headers the UI's script sends.</summary>
internal static class UiHeaders
{
    /// <summary>Marks a request made by the UI's script: it wants a status code and JSON, not a redirect or a page.</summary>
    public const string Script = "X-Countersign-Script";
}
