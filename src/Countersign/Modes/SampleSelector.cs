using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Countersign;

/// <summary>Picks the calls enforced in sample mode: a stable function of the call, so a retry gets the same treatment.</summary>
internal static class SampleSelector
{
    public static bool IsEnforced(string? idempotencyKey, string payloadHash, double percent)
    {
        if (percent >= 100)
        {
            return true;
        }

        if (percent <= 0)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey ?? payloadHash), digest);
        var bucket = BinaryPrimitives.ReadUInt32BigEndian(digest) % 10_000;
        return bucket < percent * 100;
    }
}
