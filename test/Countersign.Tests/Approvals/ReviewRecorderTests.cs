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
    public async Task A_review_that_resolves_the_approval_is_audited_even_when_that_cancels_the_reviewers_token()
    {
        // The gate cancels a channel's token as soon as the approval it waits for resolves: the very review that
        // resolved it must still reach the audit log.
        var (store, id) = await PendingAsync();
        using var channelToken = new CancellationTokenSource();
        var audit = new TokenCheckingAuditLog(new InMemoryAuditLog());
        var recorder = new ReviewRecorder(new CancellingStore(store, channelToken), audit, new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        var result = await recorder.ApproveAsync(id, "alice", "console", cancellationToken: channelToken.Token);

        Assert.True(result.IsRecorded);
        Assert.True(channelToken.IsCancellationRequested);
        var entry = Assert.Single(await ReadAllAsync(audit));
        Assert.Equal(AuditEventKind.Reviewed, entry.Kind);
        Assert.True(entry.Approved);
    }

    [Fact]
    public async Task Deny_records_a_denial_with_the_comment_for_the_agent()
    {
        var (store, id) = await PendingAsync();
        var recorder = new ReviewRecorder(store, new InMemoryAuditLog(), new FakeTimeProvider(Now));

        var result = await recorder.DenyAsync(id, "bob", "web", "wrong customer");

        Assert.Equal(ApprovalStatus.Denied, result.Request!.Status);
        Assert.Equal("wrong customer", result.Request.Decisions.Single().Comment);
        Assert.Equal(new CountersignOptions().GrantValidity, recorder.GrantValidity);
    }

    private sealed class CancellingStore(IApprovalStore inner, CancellationTokenSource cancelOnDecision) : IApprovalStore
    {
        public ValueTask<ApprovalRequest> CreateOrGetAsync(ApprovalRequest request, CancellationToken cancellationToken = default) => inner.CreateOrGetAsync(request, cancellationToken);

        public ValueTask<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public ValueTask<ApprovalRequest?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken);

        public IAsyncEnumerable<ApprovalRequest> ListPendingAsync(CancellationToken cancellationToken = default) => inner.ListPendingAsync(cancellationToken);

        public async ValueTask<ReviewResult> RecordReviewAsync(string id, Review decision, DateTimeOffset grantExpiresAt, CancellationToken cancellationToken = default)
        {
            var result = await inner.RecordReviewAsync(id, decision, grantExpiresAt, cancellationToken);
            await cancelOnDecision.CancelAsync();
            return result;
        }

        public ValueTask<bool> TryConsumeAsync(string id, string payloadHash, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryConsumeAsync(id, payloadHash, now, cancellationToken);

        public ValueTask<bool> TryExpireAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryExpireAsync(id, now, cancellationToken);

        public ValueTask<ApprovalRequest> WaitForResolutionAsync(string id, CancellationToken cancellationToken = default) => inner.WaitForResolutionAsync(id, cancellationToken);

        public ValueTask<ApprovalRequest?> FindByActionIdAsync(string actionId, CancellationToken cancellationToken = default) => inner.FindByActionIdAsync(actionId, cancellationToken);

        public ValueTask<ApprovalPage> QueryAsync(ApprovalQuery query, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.QueryAsync(query, now, cancellationToken);

        public ValueTask<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.ExpireDueAsync(now, cancellationToken);

        public IAsyncEnumerable<ApprovalEvent> WatchAsync(long? afterPosition = null, CancellationToken cancellationToken = default) => inner.WatchAsync(afterPosition, cancellationToken);
    }

    private sealed class TokenCheckingAuditLog(IAuditLog inner) : IAuditLog
    {
        public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.AppendAsync(entries, cancellationToken);
        }

        public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) => inner.ReadAsync(afterSequence, cancellationToken);

        public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => inner.VerifyAsync(cancellationToken);
    }

    [Fact]
    public async Task A_refused_decision_is_audited_as_refused()
    {
        var (store, id) = await PendingAsync();
        var audit = new InMemoryAuditLog();
        var recorder = new ReviewRecorder(store, audit, new FakeTimeProvider(Now), TimeSpan.FromMinutes(15));

        var result = await recorder.DecideAsync(id, "bot", approve: true, null, "web");

        Assert.Equal(ReviewResultKind.SelfApproval, result.Kind);
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
