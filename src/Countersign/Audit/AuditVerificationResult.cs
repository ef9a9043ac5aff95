namespace Countersign.Audit;

/// <summary>The result of walking the audit chain.</summary>
/// <param name="IsValid">Whether every entry checked out.</param>
/// <param name="EntriesChecked">How many entries were read.</param>
/// <param name="FirstBrokenSequence">The first entry that failed, when one did.</param>
/// <param name="Problem">Why it failed, in words, when one did.</param>
public sealed record AuditVerificationResult(bool IsValid, long EntriesChecked, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>Creates a clean result.</summary>
    /// <param name="entriesChecked">How many entries were read.</param>
    /// <returns>The result.</returns>
    public static AuditVerificationResult Clean(long entriesChecked) => new(true, entriesChecked, null, null);

    /// <summary>Creates a failed result.</summary>
    /// <param name="entriesChecked">How many entries were read.</param>
    /// <param name="sequence">The first broken entry.</param>
    /// <param name="problem">Why it failed.</param>
    /// <returns>The result.</returns>
    public static AuditVerificationResult Broken(long entriesChecked, long sequence, string problem) => new(false, entriesChecked, sequence, problem);
}
