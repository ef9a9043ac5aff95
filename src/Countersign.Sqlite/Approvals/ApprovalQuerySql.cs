using System.Text;
using Countersign.Approvals;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>
/// Turns an <see cref="ApprovalQuery"/> into the <c>WHERE … ORDER BY … LIMIT</c> of a select on
/// <c>approval_requests</c>. The SQL is assembled from fixed fragments only; every value is a parameter.
/// </summary>
internal static class ApprovalQuerySql
{
    /// <summary>Builds the clause and binds its parameters; it selects one row more than a page, to tell whether another follows.</summary>
    public static (string Clause, Action<SqliteParameterCollection> Bind) Build(ApprovalQuery query, DateTimeOffset now)
    {
        var where = new List<string>();
        var values = new List<(string Name, object Value)>();
        var nowText = SqliteText.FormatTime(now);
        if (query.Statuses.Count > 0)
        {
            where.Add(StatusCondition(query.Statuses, values, nowText));
        }

        if (query.ToolName is { } tool)
        {
            where.Add("tool_name = $tool");
            values.Add(("$tool", tool));
        }

        if (query.AgentId is { } agent)
        {
            where.Add("agent_id = $agent");
            values.Add(("$agent", agent));
        }

        if (query.MinimumRisk is { } risk)
        {
            where.Add("risk >= $risk");
            values.Add(("$risk", (int)risk));
        }

        if (query.ReviewerRole is { } role)
        {
            // NOCASE folds ASCII letters only; role names are expected to be ASCII.
            where.Add("(reviewer_roles_json = '[]' OR EXISTS (SELECT 1 FROM json_each(reviewer_roles_json) WHERE value = $role COLLATE NOCASE))");
            values.Add(("$role", role));
        }

        if (query.CreatedFrom is { } from)
        {
            where.Add("created_at >= $from");
            values.Add(("$from", SqliteText.FormatTime(from)));
        }

        if (query.CreatedBefore is { } before)
        {
            where.Add("created_at < $before");
            values.Add(("$before", SqliteText.FormatTime(before)));
        }

        var newestFirst = query.Order == ApprovalOrder.NewestFirst;
        if (query.After is { } after)
        {
            where.Add(newestFirst
                ? "(created_at < $after_at OR (created_at = $after_at AND id < $after_id))"
                : "(created_at > $after_at OR (created_at = $after_at AND id > $after_id))");
            values.Add(("$after_at", SqliteText.FormatTime(after.CreatedAt)));
            values.Add(("$after_id", after.Id));
        }

        var clause = new StringBuilder();
        if (where.Count > 0)
        {
            clause.Append("WHERE ").AppendJoin(" AND ", where).Append(' ');
        }

        clause.Append(newestFirst ? "ORDER BY created_at DESC, id DESC" : "ORDER BY created_at, id").Append(" LIMIT $limit");
        values.Add(("$limit", query.PageSize + 1));
        return (clause.ToString(), parameters =>
        {
            foreach (var (name, value) in values)
            {
                parameters.AddWithValue(name, value);
            }
        });
    }

    /// <summary>
    /// The status filter, as read at <c>$now</c>: a stored pending row past its expiry counts as expired, not pending.
    /// </summary>
    private static string StatusCondition(IReadOnlyList<ApprovalStatus> statuses, List<(string Name, object Value)> values, string now)
    {
        var alternatives = new List<string>();
        var stored = statuses.Where(static s => s is not (ApprovalStatus.Pending or ApprovalStatus.Expired)).Distinct().ToList();
        if (stored.Count > 0)
        {
            var names = new List<string>();
            for (var i = 0; i < stored.Count; i++)
            {
                names.Add("$status" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                values.Add((names[^1], (int)stored[i]));
            }

            alternatives.Add("status IN (" + string.Join(", ", names) + ")");
        }

        if (statuses.Contains(ApprovalStatus.Pending))
        {
            alternatives.Add("(status = 0 AND expires_at > $now)");
        }

        if (statuses.Contains(ApprovalStatus.Expired))
        {
            alternatives.Add("status = 3 OR (status = 0 AND expires_at <= $now)");
        }

        if (statuses.Contains(ApprovalStatus.Pending) || statuses.Contains(ApprovalStatus.Expired))
        {
            values.Add(("$now", now));
        }

        return "(" + string.Join(" OR ", alternatives) + ")";
    }
}
