using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Countersign.Server.Api;

/// <summary>
/// Reads a request body once, up to the configured limit, and keeps it for the request: the signature check hashes the
/// same bytes the endpoint parses.
/// </summary>
internal static class ApiBody
{
    private static readonly object ItemKey = new();

    public static async ValueTask<ReadOnlyMemory<byte>> ReadAsync(HttpContext context, int limit)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is ReadOnlyMemory<byte> bytes)
        {
            return bytes;
        }

        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var buffer = new ArrayBufferWriter<byte>(context.Request.ContentLength is > 0 and var length ? (int)length : 256);
        var body = context.Request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await body.ReadAsync(memory, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw TooLarge(limit);
            }
        }

        ReadOnlyMemory<byte> result = buffer.WrittenMemory;
        context.Items[ItemKey] = result;
        return result;
    }

    private static ApiProblemException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body is larger than the server's limit of {limit} bytes.");
}
