using System.Text.Json;
using Countersign.Cli.CommandLine;

namespace Countersign.Cli.Policies;

/// <summary>
/// Reads the action given to <c>policy test --action</c>: <c>{"tool": "...", "arguments": {...}, "agent": "..."}</c>,
/// inline or as <c>@file</c>; bounded, and every problem reported as a usage error.
/// </summary>
internal static class ActionJson
{
    public const int MaxBytes = 1024 * 1024;

    public static ActionRequest Parse(CommandContext context, string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            throw CliException.Usage("--action needs a JSON object such as {\"tool\":\"refund\",\"arguments\":{\"amount\":500}}.");
        }

        var text = given;
        if (given.StartsWith('@'))
        {
            var path = context.Host.ResolvePath(given[1..]);
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw CliException.NotFound($"action file '{given[1..]}' does not exist.");
            }

            if (info.Length > MaxBytes)
            {
                throw CliException.Usage($"action file '{given[1..]}' is larger than {MaxBytes} bytes.");
            }

            text = File.ReadAllText(path);
        }

        if (text.Length > MaxBytes)
        {
            throw CliException.Usage($"--action is longer than {MaxBytes} characters.");
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CliException.Usage("--action must be a JSON object with at least \"tool\".");
            }

            var tool = String(root, "tool") ?? throw CliException.Usage("--action needs \"tool\": the tool's name.");
            var arguments = root.TryGetProperty("arguments", out var given2) ? given2 : default;
            if (arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
            {
                throw CliException.Usage("--action's \"arguments\" must be a JSON object.");
            }

            return new ActionRequest
            {
                ToolName = tool,
                Arguments = arguments.ValueKind == JsonValueKind.Object ? arguments.Clone() : ActionRequest.Create(tool).Arguments,
                AgentId = String(root, "agent"),
                RequestedBy = String(root, "requested_by"),
            };
        }
        catch (JsonException exception)
        {
            throw CliException.Usage($"--action is not valid JSON: {exception.Message}");
        }
    }

    private static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw CliException.Usage($"--action's \"{name}\" must be a string.");
    }
}
