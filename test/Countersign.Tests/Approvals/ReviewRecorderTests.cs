using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Approvals;

public sealed class ReviewRecorderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(InMemoryApprovalStore Store, string Id)> PendingAsync()
    {
        var store = new InMemoryApprovalStore();
        var request = await store.CreateOrGetAsync(new ApprovalRequest
        {
            Id = "apr_1",
            ActionId = "act_1",
            ToolName = "refund",
            PayloadHash = new string('a', 64),
            RedactedArgumentsJson = "{}",
            RequestedBy = "bot",
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(5),
        });
        return (store, request.Id);
    }

    [Fact]
    public async Task A_recorded_decision_is_audited_with_reviewer_comment_and_source()
    {
        var (store, id) = await PendingAsync();
        var audit = new InMemoryAuditLog();
        var recorder = new ReviewRecorder(store, audit, new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        var result = await recorder.DecideAsync(id, "alice", approve: true, "matches the invoice", "web");

        Assert.True(result.IsRecorded);
        Assert.Equal(Now.AddMinutes(15), result.Request!.GrantExpiresAt);
        var entry = Assert.Single(await ReadAllAsync(audit));
        Assert.Equal(AuditEventKind.Reviewed, entry.Kind);
        Assert.Equal("alice", entry.Actor);
        Assert.Equal("matches the invoice", entry.Comment);
        Assert.Equal("web", entry.DecisionSource);
        Assert.Equal("granted", entry.Verdict);
    }

    [Fact]
    public async Task A_refused_decision_is_audited_as_refused()
    {
        var (store, id) = await PendingAsync();
        var audit = new InMemoryAuditLog();
        var recorder = new ReviewRecorder(store, audit, new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        var result = await recorder.DecideAsync(id, "bot", approve: true, null, "web");

        Assert.Equal(DecisionResultKind.SelfApproval, result.Kind);
        var entry = Assert.Single(await ReadAllAsync(audit));
        Assert.Equal("rejected_review", entry.Verdict);
        Assert.Contains("self_approval", entry.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_audit_failure_after_the_decision_is_recorded_does_not_throw_at_the_reviewer()
    {
        var (store, id) = await PendingAsync();
        var audit = new FailingAuditLog(new InMemoryAuditLog()) { FailAll = true };
        var recorder = new ReviewRecorder(store, audit, new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        var result = await recorder.DecideAsync(id, "alice", approve: false, "no", "web");

        Assert.True(result.IsRecorded);
        Assert.Equal(ApprovalStatus.Denied, (await store.GetAsync(id))!.Status);
    }

    [Theory]
    [InlineData("", "alice", "web")]
    [InlineData("apr_1", " ", "web")]
    [InlineData("apr_1", "alice", "")]
    public async Task Empty_ids_reviewers_or_sources_are_refused(string id, string reviewer, string source)
    {
        var (store, _) = await PendingAsync();
        var recorder = new ReviewRecorder(store, new InMemoryAuditLog(), new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => recorder.DecideAsync(id, reviewer, true, null, source).AsTask());
    }

    private static async Task<List<AuditEntry>> ReadAllAsync(IAuditLog audit)
    {
        var entries = new List<AuditEntry>();
        await foreach (var record in audit.ReadAsync())
        {
            entries.Add(record.Entry);
        }

        return entries;
    }
}
