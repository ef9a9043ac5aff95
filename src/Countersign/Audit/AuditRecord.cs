namespace Countersign.Audit;

/// <summary>An audit entry as stored: its place in the chain and the MAC that links it to the entry before.</summary>
/// <param name="Sequence">The entry's position, starting at 1 with no gaps.</param>
/// <param name="Entry">The event.</param>
/// <param name="KeyId">The identifier of the key that computed <paramref name="Mac"/>, so keys can rotate.</param>
/// <param name="PreviousMac">The MAC of the entry before, or the chain's genesis value for the first entry.</param>
/// <param name="Mac">HMAC-SHA256 over <paramref name="PreviousMac"/> and the entry's canonical bytes.</param>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, string KeyId, string PreviousMac, string Mac);
