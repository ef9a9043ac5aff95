namespace Countersign.Approvals;

/// <summary>
/// The rules every approval store applies, kept in one place so that the in-memory store and the database stores
/// cannot drift apart. Stores call these while they hold their own lock or write transaction.
/// </summary>
internal static class ApprovalRules
{
    /// <summary>Checks a request offered to <see cref="IApprovalStore.CreateOrGetAsync"/> and returns the copy to store.</summary>
    public static ApprovalRequest PrepareNew(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Id, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ActionId, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ToolName, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PayloadHash, nameof(request));
        ArgumentNullException.ThrowIfNull(request.RedactedArgumentsJson, nameof(request));
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

        ArgumentNullException.ThrowIfNull(request.Reasons, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ReviewerRoles, nameof(request));

        // Copies, so a caller that keeps a mutable list cannot change what the store holds.
        return request with
        {
            Reasons = [.. request.Reasons],
            ReviewerRoles = [.. request.ReviewerRoles],
            Decisions = [],
        };
    }

    /// <summary>Checks the arguments of <see cref="IApprovalStore.RecordDecisionAsync"/>.</summary>
    public static ReviewerDecision PrepareDecision(string id, ReviewerDecision decision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(decision.Reviewer, nameof(decision));
        ArgumentException.ThrowIfNullOrWhiteSpace(decision.Source, nameof(decision));
        ArgumentNullException.ThrowIfNull(decision.Roles, nameof(decision));
        return decision with { Roles = [.. decision.Roles] };
    }

    /// <summary>
    /// Applies a decision to the current state of a request. Returns the outcome and, when the state changes, the
    /// request to store; <see langword="null"/> means nothing changes.
    /// </summary>
    public static (DecisionResultKind Kind, ApprovalRequest? Changed) Decide(ApprovalRequest current, ReviewerDecision decision, DateTimeOffset grantExpiresAt)
    {
        if (current.IsResolved)
        {
            return (DecisionResultKind.AlreadyResolved, null);
        }

        if (decision.DecidedAt >= current.ExpiresAt)
        {
            // A late decision proves the timeout passed, so the request resolves now as timeout means deny.
            return (DecisionResultKind.Expired, current with { Status = ApprovalStatus.Expired });
        }

        if (current.RequestedBy is { } requester && string.Equals(requester, decision.Reviewer, StringComparison.OrdinalIgnoreCase))
        {
            return (DecisionResultKind.SelfApproval, null);
        }

        foreach (var earlier in current.Decisions)
        {
            if (string.Equals(earlier.Reviewer, decision.Reviewer, StringComparison.OrdinalIgnoreCase))
            {
                return (DecisionResultKind.DuplicateReviewer, null);
            }
        }

        if (current.ReviewerRoles.Count > 0 && !HoldsAnyRole(decision.Roles, current.ReviewerRoles))
        {
            return (DecisionResultKind.RoleNotAllowed, null);
        }

        ReviewerDecision[] decisions = [.. current.Decisions, decision];
        if (!decision.Approved)
        {
            return (DecisionResultKind.Recorded, current with { Status = ApprovalStatus.Denied, Decisions = decisions });
        }

        // Every recorded decision of a pending request is an approval (a denial resolves it), and reviewers are distinct.
        if (decisions.Length >= current.Quorum)
        {
            return (DecisionResultKind.Recorded, current with { Status = ApprovalStatus.Granted, Decisions = decisions, GrantExpiresAt = grantExpiresAt });
        }

        return (DecisionResultKind.Recorded, current with { Decisions = decisions });
    }

    /// <summary>Whether a grant can be claimed for <paramref name="payloadHash"/> at <paramref name="now"/>.</summary>
    public static bool CanConsume(ApprovalRequest current, string payloadHash, DateTimeOffset now) =>
        current.Status == ApprovalStatus.Granted
        && string.Equals(current.PayloadHash, payloadHash, StringComparison.Ordinal)
        && current.GrantExpiresAt is { } grantExpiresAt
        && now < grantExpiresAt;

    /// <summary>Whether a request's timeout has passed at <paramref name="now"/> while it is still pending.</summary>
    public static bool CanExpire(ApprovalRequest current, DateTimeOffset now) =>
        current.Status == ApprovalStatus.Pending && now >= current.ExpiresAt;

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
