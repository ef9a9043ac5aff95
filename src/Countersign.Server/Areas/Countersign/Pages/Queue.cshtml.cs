using Countersign.Approvals;
using Countersign.Server.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Countersign.Server.Ui.Pages;

/// <summary>The pending queue, oldest first; the script keeps it live from the store's change feed.</summary>
internal sealed class QueueModel(IApprovalStore store, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ApprovalCard> Cards { get; private set; } = [];

    public long FeedPosition { get; private set; }

    public bool HasMore { get; private set; }

    public async Task OnGetAsync()
    {
        var page = await store.QueryAsync(
            new ApprovalQuery { Statuses = [ApprovalStatus.Pending], Order = ApprovalOrder.OldestFirst, PageSize = ApprovalQuery.MaxPageSize },
            clock.GetUtcNow(),
            HttpContext.RequestAborted).ConfigureAwait(false);
        Cards = [.. page.Items.Select(ApprovalCard.From)];
        FeedPosition = page.FeedPosition;
        HasMore = page.NextCursor is not null;
    }

    /// <summary>One pending approval's card, for the script to insert; 404 once it is no longer pending.</summary>
    public async Task<IActionResult> OnGetCardAsync(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 200)
        {
            return BadRequest();
        }

        var stored = await store.GetAsync(id, HttpContext.RequestAborted).ConfigureAwait(false);
        if (stored is null || ApprovalTransitions.AsSeenAt(stored, clock.GetUtcNow()).Status != ApprovalStatus.Pending)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return Partial("_ApprovalCard", ApprovalCard.From(stored));
    }
}
