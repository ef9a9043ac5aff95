using Countersign.Approvals;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.StoreConformance;

/// <summary>
/// The behaviour every <see cref="IApprovalStore"/> must show. A store's test project derives from this class and
/// supplies a fresh, empty store per test, a second instance on the same database, and a way to reopen it; xunit runs
/// every test below against it (the query, change feed, expiry and two-instance layers live in the other parts of this
/// class). There is no opting out of a layer: a store that cannot pass one does not pass the suite.
/// </summary>
public abstract partial class ApprovalStoreConformanceTests : IAsyncLifetime
{
    /// <summary>Generous bound on waits that must complete; it only stops a broken store from hanging the run.</summary>
    protected static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly List<IApprovalStore> _otherInstances = [];
    private int _nextId;

    /// <summary>Gets the clock the tests read times from; stores receive times as arguments.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the store under test.</summary>
    protected IApprovalStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IApprovalStore> CreateStoreAsync();

    /// <summary>
    /// Opens a second store instance on the database of <see cref="Store"/>, as a second process would: its own
    /// connections and in-process wake-ups, sharing only the data. Every store must support it.
    /// </summary>
    protected abstract Task<IApprovalStore> CreateSecondInstanceOnSameDatabaseAsync();

    /// <summary>Closes <paramref name="store"/> (as a process that stops) and opens the same database again.</summary>
    protected abstract Task<IApprovalStore> ReopenAsync(IApprovalStore store);

    /// <summary>Releases a store created by <see cref="CreateStoreAsync"/> or <see cref="CreateSecondInstanceOnSameDatabaseAsync"/>.</summary>
    protected virtual Task DisposeStoreAsync(IApprovalStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync().AsTask() : Task.CompletedTask;

    /// <summary>Removes the database once every store instance on it is released.</summary>
    protected virtual Task DeleteDatabaseAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var other in _otherInstances)
        {
            await DisposeStoreAsync(other);
        }

        await DisposeStoreAsync(Store);
        await DeleteDatabaseAsync();
    }

    /// <summary>Opens a second instance that is released with the test.</summary>
    protected async Task<IApprovalStore> SecondInstanceAsync()
    {
        var second = await CreateSecondInstanceOnSameDatabaseAsync();
        _otherInstances.Add(second);
        return second;
    }

    /// <summary>Closes <see cref="Store"/> and opens it again on the same database.</summary>
    protected async Task ReopenStoreAsync() => Store = await ReopenAsync(Store);

    /// <summary>Builds a pending request created now.</summary>
    protected ApprovalRequest NewRequest(
        string? idempotencyKey = null,
        int quorum = 1,
        IReadOnlyList<string>? reviewerRoles = null,
        string? requestedBy = "alice",
        string payloadHash = "hash-of-refund-42",
        TimeSpan? timeout = null,
        DateTimeOffset? createdAt = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var created = createdAt ?? Time.GetUtcNow();
        return new ApprovalRequest
        {
            Id = $"apr-{id}-{Guid.NewGuid():N}",
            ActionId = $"act-{id}",
            ToolName = "refund",
            PayloadHash = payloadHash,
            RedactedArgumentsJson = """{"amount":42,"card":"***"}""",
            AgentId = "billing-agent",
            SessionId = "session-7",
            RequestedBy = requestedBy,
            IdempotencyKey = idempotencyKey,
            Description = "Refund order 42",
            Risk = RiskLevel.High,
            Reasons = ["amount above 10"],
            Quorum = quorum,
            ReviewerRoles = reviewerRoles ?? [],
            CreatedAt = created,
            ExpiresAt = created + (timeout ?? TimeSpan.FromMinutes(10)),
        };
    }

    /// <summary>Builds a decision made now.</summary>
    protected Review Decision(string reviewer, bool approved = true, params string[] roles) =>
        new(reviewer, approved, approved ? "looks right" : "not this one", Time.GetUtcNow(), "web") { Roles = roles };

    private DateTimeOffset GrantExpiry => Time.GetUtcNow().AddMinutes(5);

    private async Task<ApprovalRequest> GrantedRequestAsync(string payloadHash = "hash-of-refund-42")
    {
        var request = await Store.CreateOrGetAsync(NewRequest(payloadHash: payloadHash));
        var result = await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
        return result.Request;
    }

    [Fact]
    public async Task Created_request_reads_back_with_every_field()
    {
        var request = NewRequest(idempotencyKey: "order-42", quorum: 2, reviewerRoles: ["finance"]);

        var stored = await Store.CreateOrGetAsync(request);
        var read = await Store.GetAsync(request.Id);

        foreach (var candidate in new[] { stored, read! })
        {
            Assert.Equal(request.Id, candidate.Id);
            Assert.Equal(request.ActionId, candidate.ActionId);
            Assert.Equal(request.ToolName, candidate.ToolName);
            Assert.Equal(request.PayloadHash, candidate.PayloadHash);
            Assert.Equal(request.RedactedArgumentsJson, candidate.RedactedArgumentsJson);
            Assert.Equal(request.AgentId, candidate.AgentId);
            Assert.Equal(request.SessionId, candidate.SessionId);
            Assert.Equal(request.RequestedBy, candidate.RequestedBy);
            Assert.Equal(request.IdempotencyKey, candidate.IdempotencyKey);
            Assert.Equal(request.Description, candidate.Description);
            Assert.Equal(request.Risk, candidate.Risk);
            Assert.Equal(request.Reasons, candidate.Reasons);
            Assert.Equal(request.Quorum, candidate.Quorum);
            Assert.Equal(request.ReviewerRoles, candidate.ReviewerRoles);
            Assert.Equal(request.CreatedAt, candidate.CreatedAt);
            Assert.Equal(request.ExpiresAt, candidate.ExpiresAt);
            Assert.Equal(ApprovalStatus.Pending, candidate.Status);
            Assert.Empty(candidate.Decisions);
            Assert.Null(candidate.GrantExpiresAt);
            Assert.Null(candidate.ConsumedAt);
        }
    }

    [Fact]
    public async Task A_grant_lasts_as_long_as_the_approval_says_whatever_the_reviewer_proposes()
    {
        var request = await Store.CreateOrGetAsync(NewRequest() with { GrantValidity = TimeSpan.FromSeconds(90) });

        var result = await Store.RecordReviewAsync(request.Id, Decision("bob"), Time.GetUtcNow().AddHours(1));
        var read = await Store.GetAsync(request.Id);

        Assert.Equal(Time.GetUtcNow().AddSeconds(90), result.Request!.GrantExpiresAt);
        Assert.Equal(TimeSpan.FromSeconds(90), read!.GrantValidity);
        Assert.Equal(Time.GetUtcNow().AddSeconds(90), read.GrantExpiresAt);
    }

    [Fact]
    public async Task A_grant_validity_that_is_not_positive_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CreateOrGetAsync(NewRequest() with { GrantValidity = TimeSpan.Zero }));
    }

    [Fact]
    public async Task Optional_fields_left_empty_read_back_empty()
    {
        var request = NewRequest(requestedBy: null) with { SessionId = null, Description = null, Reasons = [] };

        await Store.CreateOrGetAsync(request);
        var read = await Store.GetAsync(request.Id);

        Assert.NotNull(read);
        Assert.Equal("billing-agent", read.AgentId);
        Assert.Null(read.SessionId);
        Assert.Null(read.RequestedBy);
        Assert.Null(read.IdempotencyKey);
        Assert.Null(read.Description);
        Assert.Empty(read.Reasons);
        Assert.Empty(read.ReviewerRoles);
    }

    [Fact]
    public async Task Unknown_id_reads_as_null()
    {
        Assert.Null(await Store.GetAsync("no-such-approval"));
    }

    [Fact]
    public async Task Unknown_idempotency_key_finds_nothing()
    {
        await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));

        Assert.Null(await Store.FindByIdempotencyKeyAsync("order-43"));
    }

    [Fact]
    public async Task Retried_call_with_the_same_idempotency_key_reattaches_to_the_first_request()
    {
        var first = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));

        var second = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));
        var found = await Store.FindByIdempotencyKeyAsync("order-42");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, found!.Id);
    }

    [Fact]
    public async Task Idempotency_key_reattaches_to_a_resolved_request_with_its_decision()
    {
        var first = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));
        await Store.RecordReviewAsync(first.Id, Decision("bob", approved: false), GrantExpiry);

        var again = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(ApprovalStatus.Denied, again.Status);
        Assert.Equal("bob", Assert.Single(again.Decisions).Reviewer);
    }

    [Fact]
    public async Task Idempotency_key_returns_the_existing_request_even_for_another_payload_so_the_gate_can_compare_hashes()
    {
        var first = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42", payloadHash: "hash-a"));

        var again = await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42", payloadHash: "hash-b"));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("hash-a", again.PayloadHash);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_idempotency_key_make_one_request()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var creates = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Store.CreateOrGetAsync(NewRequest(idempotencyKey: "order-42"));
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(creates).WaitAsync(HangGuard);

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(await ToListAsync(Store.ListPendingAsync()));
    }

    [Fact]
    public async Task A_second_request_with_the_same_id_and_no_idempotency_key_is_refused()
    {
        var request = NewRequest();
        await Store.CreateOrGetAsync(request);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.CreateOrGetAsync(request with { ActionId = "other" }));
    }

    [Fact]
    public async Task A_new_request_that_is_not_pending_is_refused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.CreateOrGetAsync(NewRequest() with { Status = ApprovalStatus.Granted }));
    }

    [Fact]
    public async Task A_new_request_with_a_quorum_below_one_is_refused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.CreateOrGetAsync(NewRequest(quorum: 0)));
    }

    [Fact]
    public async Task A_new_request_expiring_before_it_is_created_is_refused()
    {
        var request = NewRequest();

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.CreateOrGetAsync(request with { ExpiresAt = request.CreatedAt.AddSeconds(-1) }));
    }

    [Fact]
    public async Task A_null_request_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Store.CreateOrGetAsync(null!));
    }

    [Fact]
    public async Task Requester_cannot_approve_their_own_request_whatever_the_letter_case()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(requestedBy: "alice"));

        var result = await Store.RecordReviewAsync(request.Id, Decision("ALICE"), GrantExpiry);

        Assert.Equal(ReviewResultKind.SelfApproval, result.Kind);
        Assert.False(result.IsRecorded);
        var read = await Store.GetAsync(request.Id);
        Assert.Equal(ApprovalStatus.Pending, read!.Status);
        Assert.Empty(read.Decisions);
    }

    [Fact]
    public async Task Agent_cannot_approve_its_own_call_when_someone_else_requested_it()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(requestedBy: "alice") with { AgentId = "billing-agent" });

        var result = await Store.RecordReviewAsync(request.Id, Decision("billing-agent"), GrantExpiry);

        Assert.Equal(ReviewResultKind.SelfApproval, result.Kind);
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Agent_cannot_approve_its_own_call_whatever_the_letter_case_and_surrounding_spaces()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(requestedBy: null) with { AgentId = " Billing-Agent" });

        var result = await Store.RecordReviewAsync(request.Id, Decision("billing-AGENT  "), GrantExpiry);

        Assert.Equal(ReviewResultKind.SelfApproval, result.Kind);
        Assert.Empty((await Store.GetAsync(request.Id))!.Decisions);
    }

    [Fact]
    public async Task Requester_cannot_approve_their_own_request_with_surrounding_spaces()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(requestedBy: "alice "));

        var result = await Store.RecordReviewAsync(request.Id, Decision(" Alice"), GrantExpiry);

        Assert.Equal(ReviewResultKind.SelfApproval, result.Kind);
    }

    [Fact]
    public async Task Reviewer_repeated_with_surrounding_spaces_is_not_a_second_reviewer()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2));
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        var repeat = await Store.RecordReviewAsync(request.Id, Decision(" BOB "), GrantExpiry);

        Assert.Equal(ReviewResultKind.DuplicateReviewer, repeat.Kind);
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Someone_other_than_the_requester_and_the_agent_may_approve()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(requestedBy: "alice") with { AgentId = "billing-agent" });

        var result = await Store.RecordReviewAsync(request.Id, Decision("billing-agent-2"), GrantExpiry);

        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(null, " ")]
    [InlineData("  ", "\t")]
    public async Task A_request_naming_neither_requester_nor_agent_is_refused(string? requestedBy, string? agentId)
    {
        var request = NewRequest(requestedBy: requestedBy) with { AgentId = agentId };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.CreateOrGetAsync(request));

        Assert.Contains("requester", error.Message, StringComparison.Ordinal);
        Assert.Contains("agent id", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(request.Id));
    }

    [Fact]
    public async Task A_request_naming_only_its_agent_or_only_its_requester_is_accepted()
    {
        var agentOnly = await Store.CreateOrGetAsync(NewRequest(requestedBy: null));
        var requesterOnly = await Store.CreateOrGetAsync(NewRequest(requestedBy: "alice") with { AgentId = null });

        Assert.Equal(ApprovalStatus.Pending, agentOnly.Status);
        Assert.Equal(ApprovalStatus.Pending, requesterOnly.Status);
    }

    [Fact]
    public async Task One_approval_grants_a_quorum_of_one_until_the_given_grant_expiry()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var grantExpiresAt = Time.GetUtcNow().AddMinutes(3);

        var result = await Store.RecordReviewAsync(request.Id, Decision("bob"), grantExpiresAt);

        Assert.Equal(ReviewResultKind.Recorded, result.Kind);
        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
        Assert.Equal(grantExpiresAt, result.Request.GrantExpiresAt);
        Assert.Equal(ApprovalStatus.Granted, (await Store.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Quorum_of_two_needs_two_distinct_reviewers()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2));

        var first = await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        var repeat = await Store.RecordReviewAsync(request.Id, Decision("Bob"), GrantExpiry);
        var afterRepeat = await Store.GetAsync(request.Id);
        var second = await Store.RecordReviewAsync(request.Id, Decision("carol"), GrantExpiry);

        Assert.Equal(ReviewResultKind.Recorded, first.Kind);
        Assert.Equal(ApprovalStatus.Pending, first.Request!.Status);
        Assert.Equal(ReviewResultKind.DuplicateReviewer, repeat.Kind);
        Assert.Equal(ApprovalStatus.Pending, afterRepeat!.Status);
        Assert.Single(afterRepeat.Decisions);
        Assert.Equal(ReviewResultKind.Recorded, second.Kind);
        Assert.Equal(ApprovalStatus.Granted, second.Request!.Status);
    }

    [Fact]
    public async Task Quorum_of_three_is_not_granted_by_two()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 3));

        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        var second = await Store.RecordReviewAsync(request.Id, Decision("carol"), GrantExpiry);

        Assert.Equal(ApprovalStatus.Pending, second.Request!.Status);
        Assert.Null(second.Request.GrantExpiresAt);
        Assert.False(await Store.TryConsumeAsync(request.Id, request.PayloadHash, Time.GetUtcNow()));
    }

    [Fact]
    public async Task Decisions_are_kept_in_order_with_every_field()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2, reviewerRoles: ["finance", "ops"]));
        var bob = Decision("bob", true, "finance");
        Time.Advance(TimeSpan.FromSeconds(30));
        var carol = new Review("carol", true, null, Time.GetUtcNow(), "slack") { Roles = ["ops", "oncall"] };

        await Store.RecordReviewAsync(request.Id, bob, GrantExpiry);
        await Store.RecordReviewAsync(request.Id, carol, GrantExpiry);
        var read = await Store.GetAsync(request.Id);

        Assert.Collection(
            read!.Decisions,
            d => AssertSameDecision(bob, d),
            d => AssertSameDecision(carol, d));
    }

    [Fact]
    public async Task Reviewer_without_an_allowed_role_is_refused()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(reviewerRoles: ["finance"]));

        var noRoles = await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        var otherRole = await Store.RecordReviewAsync(request.Id, Decision("carol", true, "engineering"), GrantExpiry);

        Assert.Equal(ReviewResultKind.RoleNotAllowed, noRoles.Kind);
        Assert.Equal(ReviewResultKind.RoleNotAllowed, otherRole.Kind);
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Reviewer_holding_an_allowed_role_in_any_letter_case_may_decide()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(reviewerRoles: ["finance", "admin"]));

        var result = await Store.RecordReviewAsync(request.Id, Decision("bob", true, "engineering", "Finance"), GrantExpiry);

        Assert.Equal(ReviewResultKind.Recorded, result.Kind);
        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
    }

    [Fact]
    public async Task A_denial_vetoes_the_request_even_after_approvals()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 3));
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        var veto = await Store.RecordReviewAsync(request.Id, Decision("carol", approved: false), GrantExpiry);
        var late = await Store.RecordReviewAsync(request.Id, Decision("dave"), GrantExpiry);

        Assert.Equal(ReviewResultKind.Recorded, veto.Kind);
        Assert.Equal(ApprovalStatus.Denied, veto.Request!.Status);
        Assert.Null(veto.Request.GrantExpiresAt);
        Assert.Equal(ReviewResultKind.AlreadyResolved, late.Kind);
        Assert.Equal(ApprovalStatus.Denied, late.Request!.Status);
    }

    [Fact]
    public async Task Decision_on_a_granted_request_is_refused_as_already_resolved()
    {
        var granted = await GrantedRequestAsync();

        var result = await Store.RecordReviewAsync(granted.Id, Decision("carol", approved: false), GrantExpiry);

        Assert.Equal(ReviewResultKind.AlreadyResolved, result.Kind);
        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
    }

    [Fact]
    public async Task Decision_on_an_unknown_request_is_not_found()
    {
        var result = await Store.RecordReviewAsync("no-such-approval", Decision("bob"), GrantExpiry);

        Assert.Equal(ReviewResultKind.NotFound, result.Kind);
        Assert.Null(result.Request);
    }

    [Fact]
    public async Task Decision_arriving_at_the_timeout_expires_the_request_instead()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(10)));
        Time.Advance(TimeSpan.FromMinutes(10));

        var result = await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        var later = await Store.RecordReviewAsync(request.Id, Decision("carol"), GrantExpiry);

        Assert.Equal(ReviewResultKind.Expired, result.Kind);
        Assert.Equal(ApprovalStatus.Expired, result.Request!.Status);
        Assert.Equal(ApprovalStatus.Expired, (await Store.GetAsync(request.Id))!.Status);
        Assert.Equal(ReviewResultKind.AlreadyResolved, later.Kind);
        Assert.False(await Store.TryConsumeAsync(request.Id, request.PayloadHash, Time.GetUtcNow()));
    }

    [Fact]
    public async Task Decision_just_before_the_timeout_counts()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(10)));
        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));

        var result = await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);

        Assert.Equal(ApprovalStatus.Granted, result.Request!.Status);
    }

    [Fact]
    public async Task Decision_without_a_reviewer_is_refused()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.RecordReviewAsync(request.Id, Decision(" "), GrantExpiry));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Store.RecordReviewAsync(request.Id, null!, GrantExpiry));
    }

    [Fact]
    public async Task Granted_request_is_consumed_once()
    {
        var granted = await GrantedRequestAsync();
        var now = Time.GetUtcNow();

        var first = await Store.TryConsumeAsync(granted.Id, granted.PayloadHash, now);
        var second = await Store.TryConsumeAsync(granted.Id, granted.PayloadHash, now);
        var read = await Store.GetAsync(granted.Id);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(ApprovalStatus.Consumed, read!.Status);
        Assert.Equal(now, read.ConsumedAt);
    }

    [Fact]
    public async Task Exactly_one_of_sixteen_racing_consumers_wins()
    {
        var granted = await GrantedRequestAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var now = Time.GetUtcNow();
        var racers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Store.TryConsumeAsync(granted.Id, granted.PayloadHash, now);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers).WaitAsync(HangGuard);

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task Approval_for_one_payload_does_not_authorise_another()
    {
        var granted = await GrantedRequestAsync(payloadHash: "hash-of-refund-42");

        var other = await Store.TryConsumeAsync(granted.Id, "hash-of-refund-4200", Time.GetUtcNow());
        var read = await Store.GetAsync(granted.Id);
        var right = await Store.TryConsumeAsync(granted.Id, "hash-of-refund-42", Time.GetUtcNow());

        Assert.False(other);
        Assert.Equal(ApprovalStatus.Granted, read!.Status);
        Assert.True(right);
    }

    [Fact]
    public async Task Grant_cannot_be_consumed_once_it_expires()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var grantExpiresAt = Time.GetUtcNow().AddMinutes(2);
        await Store.RecordReviewAsync(request.Id, Decision("bob"), grantExpiresAt);

        Assert.False(await Store.TryConsumeAsync(request.Id, request.PayloadHash, grantExpiresAt));
        Assert.True(await Store.TryConsumeAsync(request.Id, request.PayloadHash, grantExpiresAt.AddTicks(-1)));
    }

    [Fact]
    public async Task Pending_denied_and_unknown_requests_cannot_be_consumed()
    {
        var pending = await Store.CreateOrGetAsync(NewRequest());
        var denied = await Store.CreateOrGetAsync(NewRequest());
        await Store.RecordReviewAsync(denied.Id, Decision("bob", approved: false), GrantExpiry);
        var now = Time.GetUtcNow();

        Assert.False(await Store.TryConsumeAsync(pending.Id, pending.PayloadHash, now));
        Assert.False(await Store.TryConsumeAsync(denied.Id, denied.PayloadHash, now));
        Assert.False(await Store.TryConsumeAsync("no-such-approval", pending.PayloadHash, now));
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(pending.Id))!.Status);
    }

    [Fact]
    public async Task Pending_request_expires_at_its_timeout_and_not_before()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(timeout: TimeSpan.FromMinutes(10)));

        var early = await Store.TryExpireAsync(request.Id, request.ExpiresAt.AddTicks(-1));
        var onTime = await Store.TryExpireAsync(request.Id, request.ExpiresAt);
        var again = await Store.TryExpireAsync(request.Id, request.ExpiresAt.AddMinutes(1));

        Assert.False(early);
        Assert.True(onTime);
        Assert.False(again);
        Assert.Equal(ApprovalStatus.Expired, (await Store.GetAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task Resolved_and_unknown_requests_do_not_expire()
    {
        var granted = await GrantedRequestAsync();

        Assert.False(await Store.TryExpireAsync(granted.Id, granted.ExpiresAt.AddHours(1)));
        Assert.False(await Store.TryExpireAsync("no-such-approval", granted.ExpiresAt.AddHours(1)));
        Assert.Equal(ApprovalStatus.Granted, (await Store.GetAsync(granted.Id))!.Status);
    }

    [Fact]
    public async Task Waiting_on_a_resolved_request_returns_at_once()
    {
        var granted = await GrantedRequestAsync();

        var resolved = await Store.WaitForResolutionAsync(granted.Id).AsTask().WaitAsync(HangGuard);

        Assert.Equal(ApprovalStatus.Granted, resolved.Status);
    }

    [Fact]
    public async Task Waiter_wakes_when_the_quorum_is_reached()
    {
        var request = await Store.CreateOrGetAsync(NewRequest(quorum: 2));
        var wait = Store.WaitForResolutionAsync(request.Id).AsTask();

        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        Assert.False(wait.IsCompleted);
        await Store.RecordReviewAsync(request.Id, Decision("carol"), GrantExpiry);
        var resolved = await wait.WaitAsync(HangGuard);

        Assert.Equal(ApprovalStatus.Granted, resolved.Status);
        Assert.Equal(2, resolved.Decisions.Count);
    }

    [Fact]
    public async Task Waiter_wakes_on_a_denial()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var wait = Store.WaitForResolutionAsync(request.Id).AsTask();

        await Store.RecordReviewAsync(request.Id, Decision("bob", approved: false), GrantExpiry);
        var resolved = await wait.WaitAsync(HangGuard);

        Assert.Equal(ApprovalStatus.Denied, resolved.Status);
    }

    [Fact]
    public async Task Waiter_wakes_when_the_request_expires()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var wait = Store.WaitForResolutionAsync(request.Id).AsTask();

        await Store.TryExpireAsync(request.Id, request.ExpiresAt);
        var resolved = await wait.WaitAsync(HangGuard);

        Assert.Equal(ApprovalStatus.Expired, resolved.Status);
    }

    [Fact]
    public async Task Every_waiter_on_one_request_wakes()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        var waits = Enumerable.Range(0, 8).Select(_ => Store.WaitForResolutionAsync(request.Id).AsTask()).ToArray();

        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        var resolved = await Task.WhenAll(waits).WaitAsync(HangGuard);

        Assert.All(resolved, r => Assert.Equal(ApprovalStatus.Granted, r.Status));
    }

    [Fact]
    public async Task Waiter_is_not_woken_by_a_decision_on_another_request()
    {
        var mine = await Store.CreateOrGetAsync(NewRequest());
        var other = await Store.CreateOrGetAsync(NewRequest());
        var wait = Store.WaitForResolutionAsync(mine.Id).AsTask();

        await Store.RecordReviewAsync(other.Id, Decision("bob"), GrantExpiry);
        Assert.False(wait.IsCompleted);
        await Store.RecordReviewAsync(mine.Id, Decision("bob", approved: false), GrantExpiry);

        Assert.Equal(ApprovalStatus.Denied, (await wait.WaitAsync(HangGuard)).Status);
    }

    [Fact]
    public async Task Wait_honours_cancellation_and_leaves_the_request_pending()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());
        using var cancellation = new CancellationTokenSource();
        var wait = Store.WaitForResolutionAsync(request.Id, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(HangGuard));
        Assert.Equal(ApprovalStatus.Pending, (await Store.GetAsync(request.Id))!.Status);
        var again = Store.WaitForResolutionAsync(request.Id).AsTask();
        await Store.RecordReviewAsync(request.Id, Decision("bob"), GrantExpiry);
        Assert.Equal(ApprovalStatus.Granted, (await again.WaitAsync(HangGuard)).Status);
    }

    [Fact]
    public async Task Wait_with_an_already_cancelled_token_throws()
    {
        var request = await Store.CreateOrGetAsync(NewRequest());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.WaitForResolutionAsync(request.Id, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Waiting_on_an_unknown_request_is_refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.WaitForResolutionAsync("no-such-approval").AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Pending_requests_list_oldest_first_without_resolved_ones()
    {
        var now = Time.GetUtcNow();
        var middle = await Store.CreateOrGetAsync(NewRequest(createdAt: now.AddMinutes(-5)));
        var newest = await Store.CreateOrGetAsync(NewRequest(createdAt: now));
        var oldest = await Store.CreateOrGetAsync(NewRequest(createdAt: now.AddMinutes(-9)));
        var decided = await Store.CreateOrGetAsync(NewRequest(createdAt: now.AddMinutes(-7)));
        await Store.RecordReviewAsync(decided.Id, Decision("bob", approved: false), GrantExpiry);

        var pending = await ToListAsync(Store.ListPendingAsync());

        Assert.Equal([oldest.Id, middle.Id, newest.Id], pending.Select(r => r.Id));
    }

    [Fact]
    public async Task Pending_list_of_an_empty_store_is_empty()
    {
        Assert.Empty(await ToListAsync(Store.ListPendingAsync()));
    }

    private static void AssertSameDecision(Review expected, Review actual)
    {
        Assert.Equal(expected.Reviewer, actual.Reviewer);
        Assert.Equal(expected.Approved, actual.Approved);
        Assert.Equal(expected.Comment, actual.Comment);
        Assert.Equal(expected.DecidedAt, actual.DecidedAt);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Roles, actual.Roles);
    }

    /// <summary>Drains an async sequence.</summary>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
