using Countersign.Keys;

namespace Countersign.Sqlite.Tests;

/// <summary>Fixed keys for stores whose keys are configured rather than generated.</summary>
internal static class TestKeys
{
    public static readonly byte[] PayloadHashKey = new byte[32];

    public static KeyRing Ring(string auditKeyId = "prod-2026", byte auditKeyFill = 7) => new(
        new KeySet(KeyPurpose.PayloadHash, "ph-2026", PayloadHashKey),
        new KeySet(KeyPurpose.AuditChain, auditKeyId, Enumerable.Repeat(auditKeyFill, 32).ToArray()));

    public static IKeyRingProvider Provider(string auditKeyId = "prod-2026", byte auditKeyFill = 7) =>
        new InMemoryKeyRingProvider(Ring(auditKeyId, auditKeyFill));
}
