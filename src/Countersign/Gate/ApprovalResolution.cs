using Countersign.Audit;

namespace Countersign;

/// <summary>How the approval step ended for one call: released with its audit entries, or rejected.</summary>
internal sealed record ApprovalResolution(CountersignException? Rejection, IReadOnlyList<AuditEntry> ReleaseEntries, TimeSpan Waited)
{
    public static ApprovalResolution Rejected(CountersignException rejection, TimeSpan waited) => new(rejection, [], waited);
}
