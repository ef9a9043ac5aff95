using Countersign.Approvals;

namespace Countersign.Tests.Approvals;

public sealed class ApprovalQueryTests
{
    [Fact]
    public void A_cursor_survives_its_token()
    {
        var cursor = new ApprovalCursor(new DateTimeOffset(2026, 3, 2, 9, 0, 0, 123, TimeSpan.FromHours(2)), "apr_01:ü");

        Assert.True(ApprovalCursor.TryParse(cursor.ToToken(), out var read));

        Assert.Equal(cursor.CreatedAt, read.CreatedAt);
        Assert.Equal(cursor.Id, read.Id);
    }

    [Fact]
    public void A_cursor_token_is_url_safe()
    {
        var token = new ApprovalCursor(DateTimeOffset.MaxValue, "apr/+?&=" + new string('x', 40)).ToToken();

        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' in {token}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MTIz")]
    [InlineData("OmFwcg")]
    [InlineData("LTE6YXBy")]
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTp4")]
    [InlineData("MzE1NTM3ODk3NjAwMDAwMDAwMDp4")]
    public void A_token_that_is_not_a_cursor_is_refused(string? token)
    {
        Assert.False(ApprovalCursor.TryParse(token, out var cursor));
        Assert.Null(cursor);
    }

    [Fact]
    public void A_default_query_is_valid_newest_first_fifty_a_page()
    {
        var query = new ApprovalQuery();

        query.Validate();

        Assert.Equal(ApprovalOrder.NewestFirst, query.Order);
        Assert.Equal(50, query.PageSize);
        Assert.Empty(query.Statuses);
    }

    [Fact]
    public void An_invalid_query_reports_every_problem_at_once()
    {
        var query = new ApprovalQuery
        {
            Statuses = [(ApprovalStatus)42],
            ToolName = "",
            AgentId = " ",
            ReviewerRole = "",
            MinimumRisk = (RiskLevel)9,
            CreatedFrom = DateTimeOffset.UnixEpoch.AddDays(1),
            CreatedBefore = DateTimeOffset.UnixEpoch,
            Order = (ApprovalOrder)7,
            PageSize = 501,
            After = new ApprovalCursor(DateTimeOffset.UnixEpoch, ""),
        };

        var error = Assert.Throws<ArgumentException>(query.Validate);

        foreach (var expected in new[] { "Status 42", "ToolName", "AgentId", "ReviewerRole", "MinimumRisk", "CreatedFrom", "Order", "PageSize", "cursor" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_history_statuses_are_the_resolved_ones_and_cannot_be_changed()
    {
        Assert.Equal([ApprovalStatus.Granted, ApprovalStatus.Denied, ApprovalStatus.Expired, ApprovalStatus.Consumed], ApprovalQuery.ResolvedStatuses);
        Assert.Throws<NotSupportedException>(() => ((IList<ApprovalStatus>)ApprovalQuery.ResolvedStatuses)[0] = ApprovalStatus.Pending);
    }

    [Fact]
    public void A_change_event_needs_an_approval_and_a_change_kind()
    {
        var approval = new ApprovalRequest
        {
            Id = "apr-1",
            ActionId = "act-1",
            ToolName = "refund",
            PayloadHash = "hash",
            RedactedArgumentsJson = "{}",
            AgentId = "agent",
            CreatedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new ApprovalEvent(1, ApprovalEventKind.Gap, approval));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApprovalEvent(0, ApprovalEventKind.Created, approval));
        Assert.Throws<ArgumentNullException>(() => new ApprovalEvent(1, ApprovalEventKind.Created, null!));
        Assert.Equal("apr-1", new ApprovalEvent(1, ApprovalEventKind.Created, approval).ApprovalId);
        Assert.True(ApprovalEvent.Gap(0).IsGap);
    }
}
