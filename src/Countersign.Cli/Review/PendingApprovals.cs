using Countersign.Approvals;

namespace Countersign.Cli.Review;

/// <summary>The requests waiting for a reviewer, oldest first, as seen now (those past their timeout are left out).</summary>
internal static class PendingApprovals
{
    /// <summary>The most requests listed; beyond that the list says how many more there are not.</summary>
    public const int MaxListed = 1000;

    public static async Task<IReadOnlyList<ApprovalRequest>> ListAsync(IApprovalStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var items = new List<ApprovalRequest>();
        ApprovalCursor? after = null;
        do
        {
            var page = await store.QueryAsync(
                new ApprovalQuery { Statuses = [ApprovalStatus.Pending], Order = ApprovalOrder.OldestFirst, PageSize = ApprovalQuery.MaxPageSize, After = after },
                now,
                cancellationToken);
            items.AddRange(page.Items.Where(a => a.Status == ApprovalStatus.Pending && a.ExpiresAt > now));
            after = page.NextCursor;
        }
        while (after is not null && items.Count < MaxListed);

        return items.Count > MaxListed ? items[..MaxListed] : items;
    }
}
