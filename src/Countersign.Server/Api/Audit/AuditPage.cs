using Countersign.Audit;

namespace Countersign.Server.Api.Audit;

/// <summary>One page of <c>GET /v1/audit</c>.</summary>
/// <param name="Entries">The matching records, in sequence order.</param>
/// <param name="Next">The sequence to pass as <c>?after=</c> for the next page, or <see langword="null"/> at the end of the log.</param>
internal sealed record AuditPage(IReadOnlyList<AuditRecord> Entries, long? Next);
