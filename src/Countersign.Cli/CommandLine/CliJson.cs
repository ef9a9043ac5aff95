using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Countersign.Cli.CommandLine;

/// <summary>The one shape of <c>--json</c> output: snake_case names, enums as text, one document per command.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Output goes to terminals and scripts, not HTML: quotes stay readable; control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(CommandContext context, object value)
    {
        context.Host.Out.WriteLine(JsonSerializer.Serialize(value, Options));
    }
}
