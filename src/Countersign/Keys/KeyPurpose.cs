namespace Countersign.Keys;

/// <summary>What a key is for. Each purpose has keys of its own, so rotating or losing one touches one use only.</summary>
public enum KeyPurpose
{
    /// <summary>The payload hash: HMAC-SHA256 over a tool name and its canonical arguments. Keys of at least 16 bytes.</summary>
    PayloadHash,

    /// <summary>The audit chain's MACs. Keys of at least 32 bytes.</summary>
    AuditChain,
}
