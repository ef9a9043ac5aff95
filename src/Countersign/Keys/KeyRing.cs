namespace Countersign.Keys;

/// <summary>
/// Every secret key a store needs, by purpose: the payload hash keys and the audit chain keys. Each purpose has its
/// own current key and keeps older keys by id. Load one with an <see cref="IKeyRingProvider"/>.
/// </summary>
public sealed class KeyRing
{
    /// <summary>Creates a key ring.</summary>
    /// <param name="payloadHash">The payload hash keys (<see cref="KeyPurpose.PayloadHash"/>).</param>
    /// <param name="auditChain">The audit chain keys (<see cref="KeyPurpose.AuditChain"/>).</param>
    /// <exception cref="ArgumentException">A key set is for another purpose.</exception>
    public KeyRing(KeySet payloadHash, KeySet auditChain)
    {
        PayloadHash = Require(payloadHash, KeyPurpose.PayloadHash, nameof(payloadHash));
        AuditChain = Require(auditChain, KeyPurpose.AuditChain, nameof(auditChain));
    }

    /// <summary>
    /// Gets the payload hash keys. Hashes are computed with the current key only: rotating it means a pending approval
    /// requested under the old key no longer matches its caller's payload, so rotate when none are pending.
    /// </summary>
    public KeySet PayloadHash { get; }

    /// <summary>Gets the audit chain keys: the current key MACs new entries, all of them verify.</summary>
    public KeySet AuditChain { get; }

    /// <summary>Creates a ring of random keys that live only as long as this process: for tests and samples.</summary>
    /// <returns>The key ring.</returns>
    public static KeyRing CreateEphemeral() =>
        new(KeySet.CreateEphemeral(KeyPurpose.PayloadHash), KeySet.CreateEphemeral(KeyPurpose.AuditChain));

    internal static KeySet Require(KeySet keys, KeyPurpose purpose, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(keys, parameterName);
        return keys.Purpose == purpose
            ? keys
            : throw new ArgumentException($"Expected {KeySet.Describe(purpose)} keys, got {KeySet.Describe(keys.Purpose)} keys.", parameterName);
    }
}
