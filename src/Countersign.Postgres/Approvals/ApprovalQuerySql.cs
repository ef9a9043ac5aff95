using Countersign.Approvals;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>
/// Turns an <see cref="ApprovalQuery"/> into the condition and order of a select on <c>approval_requests r</c>. The SQL
/// is assembled from fixed fragments only; every value is a parameter.
/// </summary>
internal static class ApprovalQuerySql
{
    /// <summary>Builds the condition, the order and the binding; the caller selects one row more than a page, to tell whether another follows.</summary>
    public static (string? Where, string Order, Action<NpgsqlParameterCollection> Bind) Build(ApprovalQuery query, DateTimeOffset now)
    {
        var where = new List<string>();
        var values = new List<NpgsqlParameter>();
        if (query.Statuses.Count > 0)
        {
            where.Add(StatusCondition(query.Statuses, values, now));
        }

        if (query.ToolName is { } tool)
        {
            where.Add("r.tool_name = @tool");
            values.Add(new NpgsqlParameter("tool", NpgsqlDbType.Text) { Value = tool });
        }

        if (query.AgentId is { } agent)
        {
            where.Add("r.agent_id = @agent");
            values.Add(new NpgsqlParameter("agent", NpgsqlDbType.Text) { Value = agent });
        }

        if (query.MinimumRisk is { } risk)
        {
            where.Add("r.risk >= @risk");
            values.Add(new NpgsqlParameter("risk", NpgsqlDbType.Smallint) { Value = (short)risk });
        }

        if (query.ReviewerRole is { } role)
        {
            where.Add("(cardinality(r.reviewer_roles) = 0 OR EXISTS (SELECT 1 FROM unnest(r.reviewer_roles) AS role WHERE lower(role) = lower(@role)))");
            values.Add(new NpgsqlParameter("role", NpgsqlDbType.Text) { Value = role });
        }

        if (query.CreatedFrom is { } from)
        {
            where.Add("r.created_at >= @from");
            values.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(from) });
        }

        if (query.CreatedBefore is { } before)
        {
            where.Add("r.created_at < @before");
            values.Add(new NpgsqlParameter("before", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(before) });
        }

        var newestFirst = query.Order == ApprovalOrder.NewestFirst;
        if (query.After is { } after)
        {
            // A row comparison, which PostgreSQL answers with one range scan of the (created_at, id) index.
            where.Add(newestFirst ? "(r.created_at, r.id) < (@after_at, @after_id)" : "(r.created_at, r.id) > (@after_at, @after_id)");
            values.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(after.CreatedAt) });
            values.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Text) { Value = after.Id });
        }

        var order = newestFirst ? "r.created_at DESC, r.id DESC" : "r.created_at, r.id";
        return (where.Count > 0 ? string.Join(" AND ", where) : null, order, parameters => parameters.AddRange(values.ToArray()));
    }

    /// <summary>The status filter, as read at <c>@now</c>: a stored pending row past its expiry counts as expired, not pending.</summary>
    private static string StatusCondition(IReadOnlyList<ApprovalStatus> statuses, List<NpgsqlParameter> values, DateTimeOffset now)
    {
        var alternatives = new List<string>();
        var stored = statuses.Where(static s => s is not (ApprovalStatus.Pending or ApprovalStatus.Expired)).Distinct().Select(static s => (short)s).ToArray();
        if (stored.Length > 0)
        {
            alternatives.Add("r.status = ANY(@statuses)");
            values.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = stored });
        }

        if (statuses.Contains(ApprovalStatus.Pending))
        {
            alternatives.Add("(r.status = 0 AND r.expires_at > @now)");
        }

        if (statuses.Contains(ApprovalStatus.Expired))
        {
            alternatives.Add("r.status = 3 OR (r.status = 0 AND r.expires_at <= @now)");
        }

        if (statuses.Contains(ApprovalStatus.Pending) || statuses.Contains(ApprovalStatus.Expired))
        {
            values.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = PostgresTime.Stored(now) });
        }

        return "(" + string.Join(" OR ", alternatives) + ")";
    }
}
