using Countersign.Audit;
using Countersign.Server.Ui;
using Countersign.Text;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>
/// The audit log in sequence order, filtered by kind, tool, actor and action, and a button that verifies the whole
/// hash chain and points at the first broken entry.
/// </summary>
internal sealed class AuditModel(IAuditLog audit) : PageModel
{
    public const int PageSize = 100;

    // A filter that matches little must not read the whole log in one request; the page then offers to read on.
    private const int ScanLimit = 20_000;

    public string? Kind { get; private set; }

    public string? Tool { get; private set; }

    public string? Actor { get; private set; }

    public string? ActionId { get; private set; }

    public long After { get; private set; }

    public long? NextAfter { get; private set; }

    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];

    public AuditVerificationResult? Verification { get; private set; }

    public string VerificationProblem => ReviewerText.Neutralize(Verification?.Problem, 500);

    public Task OnGetAsync(string? kind, string? tool, string? actor, string? actionId, long? after) =>
        ReadAsync(kind, tool, actor, actionId, after);

    public async Task OnPostVerifyAsync()
    {
        Verification = await audit.VerifyAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        await ReadAsync(null, null, null, null, Verification.FirstBrokenSequence is { } broken ? broken - 1 : 0).ConfigureAwait(false);
    }

    private async Task ReadAsync(string? kind, string? tool, string? actor, string? actionId, long? after)
    {
        Kind = Enum.TryParse<AuditEventKind>(kind, ignoreCase: false, out var wanted) && Enum.IsDefined(wanted) ? wanted.ToString() : null;
        Tool = QueryText.Filter(tool, 256);
        Actor = QueryText.Filter(actor, 200);
        ActionId = QueryText.Filter(actionId, 200);
        After = Math.Max(0, after ?? 0);

        var rows = new List<AuditRow>(PageSize);
        var scanned = 0;
        long last = After;
        await foreach (var record in audit.ReadAsync(After, HttpContext.RequestAborted).ConfigureAwait(false))
        {
            last = record.Sequence;
            if (Matches(record.Entry, Kind is null ? null : wanted))
            {
                rows.Add(AuditRow.From(record));
                if (rows.Count == PageSize)
                {
                    NextAfter = last;
                    break;
                }
            }

            if (++scanned == ScanLimit)
            {
                NextAfter = last;
                break;
            }
        }

        Rows = rows;
    }

    private bool Matches(AuditEntry entry, AuditEventKind? kind) =>
        (kind is null || entry.Kind == kind)
        && (Tool is null || string.Equals(entry.ToolName, Tool, StringComparison.Ordinal))
        && (Actor is null || string.Equals(entry.Actor, Actor, StringComparison.OrdinalIgnoreCase))
        && (ActionId is null || string.Equals(entry.ActionId, ActionId, StringComparison.Ordinal));
}

/// <summary>One audit entry as shown: every field neutralised and bounded.</summary>
internal sealed record AuditRow(long Sequence, DateTimeOffset Timestamp, string Kind, string Tool, string ActionId, string Verdict, string Actor, string Comment, string Reasons)
{
    public static AuditRow From(AuditRecord record)
    {
        var entry = record.Entry;
        return new AuditRow(
            record.Sequence,
            entry.Timestamp,
            entry.Kind.ToString(),
            ReviewerText.Neutralize(entry.ToolName, 256),
            ReviewerText.Neutralize(entry.ActionId, 100),
            ReviewerText.Neutralize(entry.Verdict ?? entry.ExecutionPath, 60),
            ReviewerText.Neutralize(entry.Actor, 200),
            ReviewerText.Neutralize(entry.Comment, 500),
            ReviewerText.Neutralize(string.Join("; ", entry.Reasons), 800));
    }
}
