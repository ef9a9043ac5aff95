using Countersign.Approvals;

namespace Countersign.StoreConformance;

/// <summary>The query layer: filters, keyset paging, statuses read as of the query's time, lookup by action id.</summary>
public abstract partial class ApprovalStoreConformanceTests
{
    private Task<ApprovalPage> QueryAsync(ApprovalQuery query) => Store.QueryAsync(query, Time.GetUtcNow()).AsTask();

    /// <summary>Creates requests one minute apart, the first <paramref name="count"/> minutes ago, and returns them oldest first.</summary>
    private async Task<List<ApprovalRequest>> CreateSpreadAsync(int count, Func<int, ApprovalRequest, ApprovalRequest>? shape = null)
    {
        var created = new List<ApprovalRequest>();
        var start = Time.GetUtcNow().AddMinutes(-count);
        for (var i = 0; i < count; i++)
        {
            var request = NewRequest(createdAt: start.AddMinutes(i), timeout: TimeSpan.FromHours(1));
            created.Add(await Store.CreateOrGetAsync(shape is null ? request : shape(i, request)));
        }

        return created;
    }

    private async Task<List<ApprovalRequest>> QueryAllPagesAsync(ApprovalQuery query)
    {
        var all = new List<ApprovalRequest>();
        var page = await QueryAsync(query);
        all.AddRange(page.Items);
        while (page.NextCursor is { } next)
        {
            Assert.Equal(query.PageSize, page.Items.Count);
            page = await QueryAsync(query with { After = next });
            all.AddRange(page.Items);
        }

        return all;
    }

    [Fact]
    public async Task Query_without_filters_lists_every_approval_newest_first()
    {
        var created = await CreateSpreadAsync(4);

        var page = await QueryAsync(new ApprovalQuery());

        Assert.Equal(created.Select(r => r.Id).Reverse(), page.Items.Select(r => r.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Query_oldest_first_lists_in_creation_order()
    {
        var created = await CreateSpreadAsync(4);

        var page = await QueryAsync(new ApprovalQuery { Order = ApprovalOrder.OldestFirst });

        Assert.Equal(created.Select(r => r.Id), page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_of_an_empty_store_is_one_empty_last_page()
    {
        var page = await QueryAsync(new ApprovalQuery());

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Query_filters_by_several_statuses_at_once()
    {
        var created = await CreateSpreadAsync(4);
        await Store.RecordReviewAsync(created[0].Id, Decision("bob"), GrantExpiry);
        await Store.RecordReviewAsync(created[1].Id, Decision("bob", approved: false), GrantExpiry);
        await Store.RecordReviewAsync(created[2].Id, Decision("bob"), GrantExpiry);
        await Store.TryConsumeAsync(created[2].Id, created[2].PayloadHash, Time.GetUtcNow());

        var grantedOrDenied = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Granted, ApprovalStatus.Denied] });
        var pending = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Pending] });
        var consumed = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Consumed] });

        Assert.Equal([created[1].Id, created[0].Id], grantedOrDenied.Items.Select(r => r.Id));
        Assert.Equal([created[3].Id], pending.Items.Select(r => r.Id));
        Assert.Equal([created[2].Id], consumed.Items.Select(r => r.Id));
        Assert.Equal(ApprovalStatus.Consumed, consumed.Items[0].Status);
    }

    [Fact]
    public async Task History_is_the_query_of_resolved_statuses()
    {
        var created = await CreateSpreadAsync(5);
        await Store.RecordReviewAsync(created[0].Id, Decision("bob"), GrantExpiry);
        await Store.RecordReviewAsync(created[1].Id, Decision("bob", approved: false), GrantExpiry);
        await Store.RecordReviewAsync(created[2].Id, Decision("bob"), GrantExpiry);
        await Store.TryConsumeAsync(created[2].Id, created[2].PayloadHash, Time.GetUtcNow());
        await Store.TryExpireAsync(created[3].Id, created[3].ExpiresAt);

        var history = await QueryAsync(new ApprovalQuery { Statuses = ApprovalQuery.ResolvedStatuses });

        Assert.Equal([created[3].Id, created[2].Id, created[1].Id, created[0].Id], history.Items.Select(r => r.Id));
        Assert.Equal(
            [ApprovalStatus.Expired, ApprovalStatus.Consumed, ApprovalStatus.Denied, ApprovalStatus.Granted],
            history.Items.Select(r => r.Status));
    }

    [Fact]
    public async Task Query_filters_by_exact_tool_name()
    {
        var created = await CreateSpreadAsync(3, (i, r) => r with { ToolName = i switch { 0 => "refund", 1 => "refund_all", _ => "Refund" } });

        var page = await QueryAsync(new ApprovalQuery { ToolName = "refund" });

        Assert.Equal([created[0].Id], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_filters_by_agent_id()
    {
        var created = await CreateSpreadAsync(3, (i, r) => r with { AgentId = i == 1 ? "ops-agent" : "billing-agent" });

        var page = await QueryAsync(new ApprovalQuery { AgentId = "ops-agent" });

        Assert.Equal([created[1].Id], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_filters_by_minimum_risk()
    {
        var created = await CreateSpreadAsync(4, (i, r) => r with { Risk = (RiskLevel)i });

        var page = await QueryAsync(new ApprovalQuery { MinimumRisk = RiskLevel.High, Order = ApprovalOrder.OldestFirst });

        Assert.Equal([created[2].Id, created[3].Id], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_by_reviewer_role_finds_what_that_role_may_review_whatever_the_letter_case()
    {
        var created = await CreateSpreadAsync(4, (i, r) => r with
        {
            ReviewerRoles = i switch { 0 => ["finance"], 1 => [], 2 => ["ops"], _ => ["ops", "Finance"] },
        });

        var page = await QueryAsync(new ApprovalQuery { ReviewerRole = "FINANCE", Order = ApprovalOrder.OldestFirst });

        Assert.Equal([created[0].Id, created[1].Id, created[3].Id], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_by_creation_time_includes_the_start_and_excludes_the_end()
    {
        var created = await CreateSpreadAsync(5);

        var page = await QueryAsync(new ApprovalQuery
        {
            CreatedFrom = created[1].CreatedAt,
            CreatedBefore = created[3].CreatedAt,
            Order = ApprovalOrder.OldestFirst,
        });

        Assert.Equal([created[1].Id, created[2].Id], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_filters_combine()
    {
        var created = await CreateSpreadAsync(6, (i, r) => r with
        {
            ToolName = i % 2 == 0 ? "refund" : "deploy",
            Risk = i < 3 ? RiskLevel.Low : RiskLevel.Critical,
        });
        await Store.RecordReviewAsync(created[4].Id, Decision("bob", approved: false), GrantExpiry);

        var page = await QueryAsync(new ApprovalQuery
        {
            Statuses = [ApprovalStatus.Pending],
            ToolName = "refund",
            MinimumRisk = RiskLevel.High,
            AgentId = "billing-agent",
        });

        Assert.Empty(page.Items);
        Assert.Equal(
            [created[4].Id],
            (await QueryAsync(new ApprovalQuery { ToolName = "refund", MinimumRisk = RiskLevel.High })).Items.Select(r => r.Id));
    }

    [Theory]
    [InlineData(ApprovalOrder.NewestFirst)]
    [InlineData(ApprovalOrder.OldestFirst)]
    public async Task Paging_returns_every_match_once_in_order(ApprovalOrder order)
    {
        var created = await CreateSpreadAsync(7);

        var all = await QueryAllPagesAsync(new ApprovalQuery { PageSize = 3, Order = order });

        var expected = created.Select(r => r.Id);
        Assert.Equal(order == ApprovalOrder.NewestFirst ? expected.Reverse() : expected, all.Select(r => r.Id));
    }

    [Theory]
    [InlineData(ApprovalOrder.NewestFirst)]
    [InlineData(ApprovalOrder.OldestFirst)]
    public async Task Paging_orders_approvals_created_at_the_same_instant_by_id(ApprovalOrder order)
    {
        var at = Time.GetUtcNow();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Store.CreateOrGetAsync(NewRequest(createdAt: at))).Id);
        }

        var all = await QueryAllPagesAsync(new ApprovalQuery { PageSize = 2, Order = order });

        ids.Sort(StringComparer.Ordinal);
        if (order == ApprovalOrder.NewestFirst)
        {
            ids.Reverse();
        }

        Assert.Equal(ids, all.Select(r => r.Id));
    }

    [Fact]
    public async Task Approvals_created_after_the_first_page_do_not_shift_the_next_pages()
    {
        var created = await CreateSpreadAsync(4);
        var first = await QueryAsync(new ApprovalQuery { PageSize = 2 });

        await Store.CreateOrGetAsync(NewRequest());
        await Store.CreateOrGetAsync(NewRequest());
        var second = await QueryAsync(new ApprovalQuery { PageSize = 2, After = first.NextCursor });

        Assert.Equal([created[3].Id, created[2].Id], first.Items.Select(r => r.Id));
        Assert.Equal([created[1].Id, created[0].Id], second.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_full_last_page_says_there_is_no_next_page()
    {
        await CreateSpreadAsync(4);

        var page = await QueryAsync(new ApprovalQuery { PageSize = 4 });

        Assert.Equal(4, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Page_size_defaults_to_fifty()
    {
        await CreateSpreadAsync(ApprovalQuery.DefaultPageSize + 1);

        var page = await QueryAsync(new ApprovalQuery());

        Assert.Equal(50, page.Items.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ApprovalQuery.MaxPageSize + 1)]
    public async Task Page_size_outside_one_to_five_hundred_is_refused(int pageSize)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => QueryAsync(new ApprovalQuery { PageSize = pageSize }));

        Assert.Contains("PageSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_of_five_hundred_is_allowed()
    {
        await CreateSpreadAsync(3);

        Assert.Equal(3, (await QueryAsync(new ApprovalQuery { PageSize = ApprovalQuery.MaxPageSize })).Items.Count);
    }

    [Fact]
    public async Task Query_refuses_an_empty_filter_value()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => QueryAsync(new ApprovalQuery { ToolName = " " }));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Store.QueryAsync(null!, Time.GetUtcNow()).AsTask());
    }

    [Fact]
    public async Task Pending_approval_past_its_expiry_reads_as_expired_in_queries()
    {
        var stale = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(5)));
        var fresh = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(30)));
        Time.Advance(TimeSpan.FromMinutes(5));

        var pending = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Pending] });
        var expired = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Expired] });
        var everything = await QueryAsync(new ApprovalQuery());

        Assert.Equal([fresh.Id], pending.Items.Select(r => r.Id));
        Assert.Equal([stale.Id], expired.Items.Select(r => r.Id));
        Assert.Equal(ApprovalStatus.Expired, expired.Items[0].Status);
        Assert.Equal(ApprovalStatus.Expired, everything.Items.Single(r => r.Id == stale.Id).Status);
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(stale.Id))!.Status);
    }

    [Fact]
    public async Task Pending_approval_just_before_its_expiry_is_still_pending_in_queries()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(5)));
        Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));

        var pending = await QueryAsync(new ApprovalQuery { Statuses = [ApprovalStatus.Pending] });

        Assert.Equal([request.Id], pending.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_items_carry_their_decisions()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2));
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        var item = Assert.Single((await QueryAsync(new ApprovalQuery())).Items);

        Assert.Equal("bob", Assert.Single(item.Decisions).Reviewer);
    }

    [Fact]
    public async Task Lookup_by_action_id_finds_the_request()
    {
        var created = await CreateSpreadAsync(3);

        var found = await Store.FindByActionIdAsync(created[1].ActionId);

        Assert.Equal(created[1].Id, found!.Id);
        Assert.Null(await Store.FindByActionIdAsync("no-such-action"));
    }
}
