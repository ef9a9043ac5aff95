using Countersign.Approvals;

namespace Countersign.StoreConformance;

/// <summary>The expiry layer: due approvals end as expired even when no caller waits for them.</summary>
public abstract partial class ApprovalStoreConformanceTests
{
    [Fact]
    public async Task Expiring_due_approvals_expires_every_pending_one_past_its_timeout_and_nothing_else()
    {
        var dueEarly = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        var dueNow = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(5)));
        var notYet = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(6)));
        var granted = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        await Store.RecordReviewAsync(granted.Id, Decision("bob"), GrantExpiry);
        Time.Advance(TimeSpan.FromMinutes(5));

        var expired = await Store.ExpireDueAsync(Time.GetUtcNow());

        Assert.Equal(new[] { dueEarly.Id, dueNow.Id }.Order(StringComparer.Ordinal), expired.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(expired, r => Assert.Equal(ApprovalStatus.Expired, r.Status));
        Assert.Equal(ApprovalStatus.Expired, (await Store.GetAsync(dueEarly.Id))!.Status);
        Assert.Equal(ApprovalStatus.Expired, (await Store.GetAsync(dueNow.Id))!.Status);
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(notYet.Id))!.Status);
        Assert.Equal(ApprovalStatus.Granted, (await Store.GetAsync(granted.Id))!.Status);
    }

    [Fact]
    public async Task Expiring_due_approvals_twice_expires_them_once()
    {
        await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        Time.Advance(TimeSpan.FromMinutes(1));

        var first = await Store.ExpireDueAsync(Time.GetUtcNow());
        var second = await Store.ExpireDueAsync(Time.GetUtcNow());

        Assert.Single(first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task Expiring_due_approvals_wakes_their_waiters_and_reports_them_on_the_feed()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        var wait = Store.WaitForResolutionAsync(request.Id).AsTask();
        await using var feed = new FeedReader(Store);
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.ExpireDueAsync(Time.GetUtcNow());

        Assert.Equal(ApprovalStatus.Expired, (await wait.WaitAsync(HangGuard)).Status);
        var change = await feed.NextAsync();
        Assert.Equal((ApprovalEventKind.Expired, request.Id), (change.Kind, change.ApprovalId));
    }

    [Fact]
    public async Task An_approval_expired_by_the_sweep_can_no_longer_be_decided()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(1)));
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.ExpireDueAsync(Time.GetUtcNow());

        var late = await Store.RecordReviewAsync(request.Id, Decision("bob") with { DecidedAt = request.CreatedAt }, GrantExpiry);

        Assert.Equal(ReviewResultKind.AlreadyResolved, late.Kind);
    }

    [Fact]
    public async Task Expiring_with_nothing_due_changes_nothing()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());

        Assert.Empty(await Store.ExpireDueAsync(Time.GetUtcNow()));
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(request.Id))!.Status);
    }
}
