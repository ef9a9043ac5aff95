using Countersign.Approvals;
using Microsoft.Data.Sqlite;

namespace Countersign.Sqlite;

/// <summary>Reads and writes approval requests and their decisions as rows.</summary>
internal static class ApprovalRows
{
    public const string SelectColumns = """
        SELECT id, action_id, tool_name, payload_hash, redacted_arguments_json, agent_id, session_id, requested_by,
               idempotency_key, description, risk, reasons_json, quorum, reviewer_roles_json, created_at, expires_at,
               grant_expires_at, status, consumed_at, grant_validity_ms
        FROM approval_requests
        """;

    /// <summary>Reads the requests a query selects (it must start with <see cref="SelectColumns"/>), with their decisions.</summary>
    public static List<ApprovalRequest> Query(SqliteConnection connection, SqliteTransaction transaction, string whereAndOrder, Action<SqliteParameterCollection> bind)
    {
        var requests = new List<ApprovalRequest>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = SelectColumns + " " + whereAndOrder;
            bind(command.Parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                requests.Add(ReadRequest(reader));
            }
        }

        if (requests.Count == 0)
        {
            return requests;
        }

        using var decisions = connection.CreateCommand();
        decisions.Transaction = transaction;
        decisions.CommandText = """
            SELECT reviewer, approved, comment, decided_at, source, roles_json
            FROM approval_decisions WHERE approval_id = $id ORDER BY position
            """;
        var id = decisions.Parameters.Add("$id", SqliteType.Text);
        for (var i = 0; i < requests.Count; i++)
        {
            id.Value = requests[i].Id;
            var list = new List<Review>();
            using (var reader = decisions.ExecuteReader())
            {
                while (reader.Read())
                {
                    list.Add(new Review(
                        reader.GetString(0),
                        reader.GetInt64(1) != 0,
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        SqliteText.ParseTime(reader.GetString(3)),
                        reader.GetString(4))
                    {
                        Roles = SqliteText.ReadList(reader.GetString(5)),
                    });
                }
            }

            if (list.Count > 0)
            {
                requests[i] = requests[i] with { Decisions = list };
            }
        }

        return requests;
    }

    /// <summary>Reads one request by id.</summary>
    public static ApprovalRequest? Get(SqliteConnection connection, SqliteTransaction transaction, string id) =>
        Query(connection, transaction, "WHERE id = $id", p => p.AddWithValue("$id", id)).FirstOrDefault();

    /// <summary>Inserts a new request (no decisions yet).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, ApprovalRequest request)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, agent_id,
                session_id, requested_by, idempotency_key, description, risk, reasons_json, quorum, reviewer_roles_json,
                created_at, expires_at, status, grant_validity_ms)
            VALUES ($id, $action_id, $tool_name, $payload_hash, $args, $agent_id, $session_id, $requested_by,
                $idempotency_key, $description, $risk, $reasons, $quorum, $roles, $created_at, $expires_at, 0, $grant_validity_ms)
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", request.Id);
        p.AddWithValue("$action_id", request.ActionId);
        p.AddWithValue("$tool_name", request.ToolName);
        p.AddWithValue("$payload_hash", request.PayloadHash);
        p.AddWithValue("$args", request.RedactedArgumentsJson);
        p.AddWithValue("$agent_id", (object?)request.AgentId ?? DBNull.Value);
        p.AddWithValue("$grant_validity_ms", request.GrantValidity is { } validity ? (long)validity.TotalMilliseconds : DBNull.Value);
        p.AddWithValue("$session_id", (object?)request.SessionId ?? DBNull.Value);
        p.AddWithValue("$requested_by", (object?)request.RequestedBy ?? DBNull.Value);
        p.AddWithValue("$idempotency_key", (object?)request.IdempotencyKey ?? DBNull.Value);
        p.AddWithValue("$description", (object?)request.Description ?? DBNull.Value);
        p.AddWithValue("$risk", (int)request.Risk);
        p.AddWithValue("$reasons", SqliteText.WriteList(request.Reasons));
        p.AddWithValue("$quorum", request.Quorum);
        p.AddWithValue("$roles", SqliteText.WriteList(request.ReviewerRoles));
        p.AddWithValue("$created_at", SqliteText.FormatTime(request.CreatedAt));
        p.AddWithValue("$expires_at", SqliteText.FormatTime(request.ExpiresAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Appends a decision at the given position.</summary>
    public static void InsertDecision(SqliteConnection connection, SqliteTransaction transaction, string approvalId, int position, Review decision)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO approval_decisions (approval_id, position, reviewer, approved, comment, decided_at, source, roles_json)
            VALUES ($id, $position, $reviewer, $approved, $comment, $decided_at, $source, $roles)
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", approvalId);
        p.AddWithValue("$position", position);
        p.AddWithValue("$reviewer", decision.Reviewer);
        p.AddWithValue("$approved", decision.Approved ? 1 : 0);
        p.AddWithValue("$comment", (object?)decision.Comment ?? DBNull.Value);
        p.AddWithValue("$decided_at", SqliteText.FormatTime(decision.DecidedAt));
        p.AddWithValue("$source", decision.Source);
        p.AddWithValue("$roles", SqliteText.WriteList(decision.Roles));
        command.ExecuteNonQuery();
    }

    private static ApprovalRequest ReadRequest(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ActionId = reader.GetString(1),
        ToolName = reader.GetString(2),
        PayloadHash = reader.GetString(3),
        RedactedArgumentsJson = reader.GetString(4),
        AgentId = NullableString(reader, 5),
        SessionId = NullableString(reader, 6),
        RequestedBy = NullableString(reader, 7),
        IdempotencyKey = NullableString(reader, 8),
        Description = NullableString(reader, 9),
        Risk = (RiskLevel)reader.GetInt32(10),
        Reasons = SqliteText.ReadList(reader.GetString(11)),
        Quorum = reader.GetInt32(12),
        ReviewerRoles = SqliteText.ReadList(reader.GetString(13)),
        CreatedAt = SqliteText.ParseTime(reader.GetString(14)),
        ExpiresAt = SqliteText.ParseTime(reader.GetString(15)),
        GrantExpiresAt = reader.IsDBNull(16) ? null : SqliteText.ParseTime(reader.GetString(16)),
        Status = (ApprovalStatus)reader.GetInt32(17),
        ConsumedAt = reader.IsDBNull(18) ? null : SqliteText.ParseTime(reader.GetString(18)),
        GrantValidity = reader.IsDBNull(19) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(19)),
    };

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
