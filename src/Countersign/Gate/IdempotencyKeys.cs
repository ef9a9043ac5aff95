using Countersign.Serialization;

namespace Countersign;

/// <summary>Ready-made idempotency keys for <see cref="GuardOptions.IdempotencyKey"/>.</summary>
public static class IdempotencyKeys
{
    /// <summary>
    /// Keys a call by its tool and exact arguments: a repeated identical call re-attaches to the first one's approval,
    /// so a duplicate refund cannot run twice on one approval. The key is the keyed payload hash, so it reveals
    /// nothing about redacted arguments.
    /// </summary>
    /// <param name="hasher">The gate's hasher (<see cref="ActionGate.PayloadHasher"/>).</param>
    /// <returns>The key function.</returns>
    public static Func<ActionRequest, string?> FromPayload(PayloadHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return request => "payload:" + hasher.Compute(request);
    }
}
