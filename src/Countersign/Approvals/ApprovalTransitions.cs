namespace Countersign.Approvals;

/// <summary>
/// The rules every approval store applies, in one place so that stores cannot drift apart: which new requests are
/// accepted, how a reviewer's decision changes a request, and when a grant may be claimed or a request expired.
/// </summary>
/// <remarks>
/// These are pure functions of a request's current state. A store reads the state, calls them while it holds its own
/// lock or write transaction, and stores what they return; the conformance suite checks the result. A store written
/// outside this assembly uses them exactly as <see cref="InMemoryApprovalStore"/> does.
/// </remarks>
public static class ApprovalTransitions
{
    /// <summary>Checks a request offered to <see cref="IApprovalStore.CreateOrGetAsync"/> and returns the copy to store.</summary>
    /// <param name="request">The request the caller offered.</param>
    /// <returns>
    /// A copy holding its own lists (a caller that keeps a mutable list cannot change what the store holds), pending,
    /// with no decisions.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or one of its lists is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The request lacks an id, action id, tool name or payload hash; it names neither a requester nor an agent; its
    /// idempotency key is empty; it is not a new pending request; its quorum is below one; or it expires before it is
    /// created.
    /// </exception>
    public static ApprovalRequest PrepareNew(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Id, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ActionId, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ToolName, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PayloadHash, nameof(request));
        ArgumentNullException.ThrowIfNull(request.RedactedArgumentsJson, nameof(request));
        if (string.IsNullOrWhiteSpace(request.RequestedBy) && string.IsNullOrWhiteSpace(request.AgentId))
        {
            throw new ArgumentException(
                "An approval needs a requester (RequestedBy) or an agent id (AgentId), so that nobody approves their own call.",
                nameof(request));
        }

        if (request.IdempotencyKey is { Length: 0 })
        {
            throw new ArgumentException("The idempotency key, when given, must not be empty.", nameof(request));
        }

        if (request.Status != ApprovalStatus.Pending || request.Decisions.Count > 0 || request.ConsumedAt is not null || request.GrantExpiresAt is not null)
        {
            throw new ArgumentException("A new approval request must be pending, with no decisions, grant or consumption.", nameof(request));
        }

        if (request.Quorum < 1)
        {
            throw new ArgumentException($"The quorum must be at least 1 (was {request.Quorum}).", nameof(request));
        }

        if (request.ExpiresAt < request.CreatedAt)
        {
            throw new ArgumentException("The request cannot expire before it is created.", nameof(request));
        }

        if (request.GrantValidity is { } validity && validity <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The grant validity must be positive (was {validity}).", nameof(request));
        }

        ArgumentNullException.ThrowIfNull(request.Reasons, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ReviewerRoles, nameof(request));

        return request with
        {
            Reasons = [.. request.Reasons],
            ReviewerRoles = [.. request.ReviewerRoles],
            Decisions = [],
        };
    }

    /// <summary>Checks the arguments of <see cref="IApprovalStore.RecordReviewAsync"/> and returns the decision to apply.</summary>
    /// <param name="id">The approval identifier.</param>
    /// <param name="decision">The reviewer's decision.</param>
    /// <returns>A copy of the decision holding its own list of roles.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> or its roles are <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id, the reviewer or the source is empty.</exception>
    public static Review PrepareDecision(string id, Review decision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(decision.Reviewer, nameof(decision));
        ArgumentException.ThrowIfNullOrWhiteSpace(decision.Source, nameof(decision));
        ArgumentNullException.ThrowIfNull(decision.Roles, nameof(decision));
        return decision with { Roles = [.. decision.Roles] };
    }

    /// <summary>
    /// Applies a decision (already checked by <see cref="PrepareDecision"/>) to the current state of a request, checking
    /// in order: already resolved, past the timeout, the reviewer named on the request as its requester or its agent, a
    /// repeated reviewer, a missing reviewer role. Identities are compared ignoring letter case and surrounding spaces. A denial resolves the request as denied; <see cref="ApprovalRequest.Quorum"/> distinct approvals grant it.
    /// </summary>
    /// <param name="current">The request as the store holds it now.</param>
    /// <param name="decision">The decision to apply.</param>
    /// <param name="grantExpiresAt">
    /// When a grant made by this decision stops being usable, unless the request carries its own
    /// <see cref="ApprovalRequest.GrantValidity"/>, which then counts from the decision.
    /// </param>
    /// <returns>
    /// What happened and, when the request changes, the request to store (<see langword="null"/> means nothing
    /// changes). A <see cref="ReviewResultKind.Recorded"/> change appends exactly one decision; an
    /// <see cref="ReviewResultKind.Expired"/> change only sets the status.
    /// </returns>
    public static (ReviewResultKind Kind, ApprovalRequest? Changed) Decide(ApprovalRequest current, Review decision, DateTimeOffset grantExpiresAt)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        if (current.IsResolved)
        {
            return (ReviewResultKind.AlreadyResolved, null);
        }

        if (decision.DecidedAt >= current.ExpiresAt)
        {
            // A late decision proves the timeout passed, so the request resolves now as timeout means deny.
            return (ReviewResultKind.Expired, Expire(current));
        }

        // Separation of duties: neither the identity the call is made for nor the agent that proposed it may review it.
        if (SameIdentity(current.RequestedBy, decision.Reviewer) || SameIdentity(current.AgentId, decision.Reviewer))
        {
            return (ReviewResultKind.SelfApproval, null);
        }

        foreach (var earlier in current.Decisions)
        {
            if (SameIdentity(earlier.Reviewer, decision.Reviewer))
            {
                return (ReviewResultKind.DuplicateReviewer, null);
            }
        }

        if (current.ReviewerRoles.Count > 0 && !HoldsAnyRole(decision.Roles, current.ReviewerRoles))
        {
            return (ReviewResultKind.RoleNotAllowed, null);
        }

        Review[] decisions = [.. current.Decisions, decision];
        if (!decision.Approved)
        {
            return (ReviewResultKind.Recorded, current with { Status = ApprovalStatus.Denied, Decisions = decisions });
        }

        // Every recorded decision of a pending request is an approval (a denial resolves it), and reviewers are distinct.
        if (decisions.Length >= current.Quorum)
        {
            var until = current.GrantValidity is { } validity ? decision.DecidedAt + validity : grantExpiresAt;
            return (ReviewResultKind.Recorded, current with { Status = ApprovalStatus.Granted, Decisions = decisions, GrantExpiresAt = until });
        }

        return (ReviewResultKind.Recorded, current with { Decisions = decisions });
    }

    /// <summary>Whether a grant can be claimed for <paramref name="payloadHash"/> at <paramref name="now"/>.</summary>
    /// <param name="current">The request as the store holds it now.</param>
    /// <param name="payloadHash">The hash of the payload about to run.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> if the request is granted for exactly this payload and the grant has not expired.</returns>
    public static bool CanConsume(ApprovalRequest current, string payloadHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Status == ApprovalStatus.Granted
            && string.Equals(current.PayloadHash, payloadHash, StringComparison.Ordinal)
            && current.GrantExpiresAt is { } grantExpiresAt
            && now < grantExpiresAt;
    }

    /// <summary>Whether a request's timeout has passed at <paramref name="now"/> while it is still pending.</summary>
    /// <param name="current">The request as the store holds it now.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> if the request is pending and <paramref name="now"/> is at or after its expiry.</returns>
    public static bool CanExpire(ApprovalRequest current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Status == ApprovalStatus.Pending && now >= current.ExpiresAt;
    }

    /// <summary>The state a request takes when its grant is claimed (check <see cref="CanConsume"/> first).</summary>
    /// <param name="current">The granted request.</param>
    /// <param name="now">When the grant was claimed.</param>
    /// <returns>The consumed request.</returns>
    public static ApprovalRequest Consume(ApprovalRequest current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with { Status = ApprovalStatus.Consumed, ConsumedAt = now };
    }

    /// <summary>The state a pending request takes when its timeout passes (check <see cref="CanExpire"/> first).</summary>
    /// <param name="current">The pending request.</param>
    /// <returns>The expired request.</returns>
    public static ApprovalRequest Expire(ApprovalRequest current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with { Status = ApprovalStatus.Expired };
    }

    /// <summary>
    /// The request as a reader should see it at <paramref name="now"/>: a pending request whose timeout has passed reads
    /// as expired even before anyone records the expiry, so lists never show stale pending work. Queries apply it.
    /// </summary>
    /// <param name="stored">The request as stored.</param>
    /// <param name="now">The time of the read.</param>
    /// <returns><paramref name="stored"/> itself, or an expired copy.</returns>
    public static ApprovalRequest AsSeenAt(ApprovalRequest stored, DateTimeOffset now) =>
        CanExpire(stored, now) ? Expire(stored) : stored;

    /// <summary>
    /// The feed event kind of a change that left a request in the state <paramref name="changed"/>: a decision, a claim
    /// or an expiry. (Creating a request is <see cref="ApprovalEventKind.Created"/>.)
    /// </summary>
    /// <param name="changed">The request right after the change.</param>
    /// <returns>The event kind: <see cref="ApprovalEventKind.Reviewed"/> for a request still pending after a decision.</returns>
    public static ApprovalEventKind ChangeKindOf(ApprovalRequest changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return changed.Status switch
        {
            ApprovalStatus.Pending => ApprovalEventKind.Reviewed,
            ApprovalStatus.Granted => ApprovalEventKind.Granted,
            ApprovalStatus.Denied => ApprovalEventKind.Denied,
            ApprovalStatus.Expired => ApprovalEventKind.Expired,
            ApprovalStatus.Consumed => ApprovalEventKind.Consumed,
            _ => throw new ArgumentOutOfRangeException(nameof(changed), changed.Status, "Unknown approval status."),
        };
    }

    private static bool SameIdentity(string? named, string reviewer) =>
        named is not null && named.AsSpan().Trim().Equals(reviewer.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool HoldsAnyRole(IReadOnlyList<string> held, IReadOnlyList<string> allowed)
    {
        foreach (var role in held)
        {
            foreach (var allowedRole in allowed)
            {
                if (string.Equals(role, allowedRole, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
