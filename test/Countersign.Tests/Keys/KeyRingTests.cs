using Countersign.Audit;
using Countersign.Keys;

namespace Countersign.Tests.Keys;

public sealed class KeyRingTests
{
    private static readonly byte[] KeyOne = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyTwo = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Each_purpose_keeps_its_own_minimum_key_length()
    {
        _ = new KeySet(KeyPurpose.PayloadHash, "ph-1", new byte[16]);

        Assert.Throws<ArgumentException>(() => new KeySet(KeyPurpose.PayloadHash, "ph-1", new byte[15]));
        Assert.Throws<ArgumentException>(() => new KeySet(KeyPurpose.AuditChain, "a-1", new byte[31]));
    }

    [Fact]
    public void Malformed_key_ids_are_refused_for_every_purpose()
    {
        Assert.Throws<ArgumentException>(() => new KeySet(KeyPurpose.PayloadHash, "ph 1", KeyOne));
        Assert.Throws<ArgumentException>(() => new KeySet(KeyPurpose.AuditChain, new string('k', 65), KeyOne));
        Assert.Throws<ArgumentException>(() => new KeySet(KeyPurpose.AuditChain, "", KeyOne));
    }

    [Fact]
    public void Rotation_makes_the_new_key_current_and_keeps_the_old_one()
    {
        var rotated = new KeySet(KeyPurpose.AuditChain, "k1", KeyOne).Rotate("k2", KeyTwo);

        Assert.Equal("k2", rotated.CurrentKeyId);
        Assert.True(rotated.Contains("k1"));
        Assert.Equal(KeyPurpose.AuditChain, rotated.Purpose);
    }

    [Fact]
    public void A_set_built_from_all_its_keys_needs_the_current_one_among_them()
    {
        var keys = new Dictionary<string, byte[]> { ["k1"] = KeyOne, ["k2"] = KeyTwo };

        var set = KeySet.FromKeys(KeyPurpose.AuditChain, "k2", keys);

        Assert.Equal("k2", set.CurrentKeyId);
        Assert.Equal(["k1", "k2"], set.KeyIds.Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentException>(() => KeySet.FromKeys(KeyPurpose.AuditChain, "k3", keys));
    }

    [Fact]
    public void A_ring_refuses_keys_of_the_wrong_purpose()
    {
        var payload = new KeySet(KeyPurpose.PayloadHash, "ph-1", KeyOne);
        var audit = new KeySet(KeyPurpose.AuditChain, "a-1", KeyTwo);

        Assert.Throws<ArgumentException>(() => new KeyRing(audit, payload));
        Assert.Throws<ArgumentException>(() => new AuditKeyRing(payload));
        Assert.Throws<ArgumentException>(() => new Serialization.PayloadHasher(audit));
    }

    [Fact]
    public void The_audit_view_of_a_ring_holds_its_audit_keys()
    {
        var ring = new KeyRing(new KeySet(KeyPurpose.PayloadHash, "ph-1", KeyOne), new KeySet(KeyPurpose.AuditChain, "a-1", KeyTwo).Rotate("a-2", KeyOne));

        var audit = new AuditKeyRing(ring.AuditChain);

        Assert.Equal("a-2", audit.CurrentKeyId);
        Assert.True(audit.Contains("a-1"));
    }

    [Fact]
    public async Task The_in_memory_provider_returns_its_ring()
    {
        var ring = KeyRing.CreateEphemeral();

        Assert.Same(ring, await new InMemoryKeyRingProvider(ring).LoadAsync());
    }
}
