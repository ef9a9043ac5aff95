namespace Countersign.Approvals;

/// <summary>
/// Selects approvals for <see cref="IApprovalStore.QueryAsync"/>: every filter that is set must match, and results come
/// a page at a time in a stable order. Statuses are read as of the query's time: a pending approval past its expiry
/// counts, and is returned, as <see cref="ApprovalStatus.Expired"/>.
/// </summary>
/// <example>
/// The resolved history of one tool, newest first:
/// <code>
/// var page = await store.QueryAsync(new ApprovalQuery
/// {
///     Statuses = ApprovalQuery.ResolvedStatuses,
///     ToolName = "refund",
/// }, timeProvider.GetUtcNow());
/// </code>
/// </example>
public sealed record ApprovalQuery
{
    /// <summary>The page size when none is set: 50.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page a store returns: 500.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Gets the statuses of resolved approvals (granted, denied, expired, consumed): the history.</summary>
    public static IReadOnlyList<ApprovalStatus> ResolvedStatuses { get; } =
        Array.AsReadOnly([ApprovalStatus.Granted, ApprovalStatus.Denied, ApprovalStatus.Expired, ApprovalStatus.Consumed]);

    /// <summary>Gets the statuses to include; empty (the default) includes every status.</summary>
    public IReadOnlyList<ApprovalStatus> Statuses { get; init; } = [];

    /// <summary>Gets the exact tool name (ordinal comparison), or <see langword="null"/> for any tool.</summary>
    public string? ToolName { get; init; }

    /// <summary>Gets the exact agent id (ordinal comparison), or <see langword="null"/> for any agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the lowest risk to include, or <see langword="null"/> for any risk.</summary>
    public RiskLevel? MinimumRisk { get; init; }

    /// <summary>
    /// Gets a reviewer role: only approvals a reviewer holding it may review are included, that is those listing it
    /// among their <see cref="ApprovalRequest.ReviewerRoles"/> (letter case ignored) and those open to any reviewer.
    /// <see langword="null"/> for any approval.
    /// </summary>
    public string? ReviewerRole { get; init; }

    /// <summary>Gets the earliest creation time to include (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the creation time before which approvals are included (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Gets the order of the results; newest first by default.</summary>
    public ApprovalOrder Order { get; init; } = ApprovalOrder.NewestFirst;

    /// <summary>Gets how many approvals a page holds at most, from 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Gets where to continue: the previous page's <see cref="ApprovalPage.NextCursor"/>, or <see langword="null"/> for the first page.</summary>
    public ApprovalCursor? After { get; init; }

    /// <summary>Checks the query; stores call it before they run one.</summary>
    /// <exception cref="ArgumentException">The query is invalid; the message lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Statuses is null)
        {
            problems.Add("Statuses must not be null (leave it empty for every status).");
        }
        else
        {
            foreach (var status in Statuses)
            {
                if (!Enum.IsDefined(status))
                {
                    problems.Add($"Status {(int)status} is not a known status.");
                }
            }
        }

        CheckName(problems, nameof(ToolName), ToolName);
        CheckName(problems, nameof(AgentId), AgentId);
        CheckName(problems, nameof(ReviewerRole), ReviewerRole);
        if (MinimumRisk is { } risk && !Enum.IsDefined(risk))
        {
            problems.Add($"MinimumRisk {(int)risk} is not a known risk level.");
        }

        if (CreatedFrom is { } from && CreatedBefore is { } before && from > before)
        {
            problems.Add("CreatedFrom must not be later than CreatedBefore.");
        }

        if (!Enum.IsDefined(Order))
        {
            problems.Add($"Order {(int)Order} is not a known order.");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"PageSize must be between 1 and {MaxPageSize} (was {PageSize}).");
        }

        if (After is { } after && string.IsNullOrEmpty(after.Id))
        {
            problems.Add("The cursor's id must not be empty.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid approval query: " + string.Join(" ", problems));
        }
    }

    /// <summary>
    /// Whether an approval passes the query's filters (not its cursor). Stores that filter in code use it; stores that
    /// filter in a database must select exactly the same approvals.
    /// </summary>
    /// <param name="seen">The approval as seen at the query's time (see <see cref="ApprovalTransitions.AsSeenAt"/>).</param>
    /// <returns><see langword="true"/> if every filter that is set matches.</returns>
    public bool Matches(ApprovalRequest seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        return (Statuses.Count == 0 || Statuses.Contains(seen.Status))
            && (ToolName is null || string.Equals(seen.ToolName, ToolName, StringComparison.Ordinal))
            && (AgentId is null || string.Equals(seen.AgentId, AgentId, StringComparison.Ordinal))
            && (MinimumRisk is null || seen.Risk >= MinimumRisk)
            && (ReviewerRole is null || seen.ReviewerRoles.Count == 0 || seen.ReviewerRoles.Contains(ReviewerRole, StringComparer.OrdinalIgnoreCase))
            && (CreatedFrom is null || seen.CreatedAt >= CreatedFrom)
            && (CreatedBefore is null || seen.CreatedAt < CreatedBefore);
    }

    private static void CheckName(List<string> problems, string name, string? value)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{name} must not be empty when it is set.");
        }
    }
}
