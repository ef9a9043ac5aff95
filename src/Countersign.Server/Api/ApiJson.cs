using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Countersign.Server.Api;

/// <summary>The JSON rules of the API: web names, and strict reading (unknown fields and missing required ones are refused).</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        MaxDepth = 64,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Reads a body as <typeparamref name="T"/>; a malformed body or an unknown field is a 400 with the reader's reason.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Missing request body", "The request needs a JSON body.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, Options)
                ?? throw new ApiProblemException(StatusCodes.Status400BadRequest, "Malformed JSON", "The body must be a JSON object, not null.");
        }
        catch (JsonException ex)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Malformed JSON", ex.Message);
        }
    }
}
