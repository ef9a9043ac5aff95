using System.Text.Json;

namespace Countersign.Tests.Policy;

/// <summary>Builds the requests the policy tests evaluate.</summary>
internal static class Calls
{
    public static ActionRequest To(string tool, string argumentsJson = "{}", string? agent = null) => new()
    {
        ToolName = tool,
        Arguments = Json(argumentsJson),
        AgentId = agent,
    };

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
