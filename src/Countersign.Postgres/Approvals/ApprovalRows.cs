using Countersign.Approvals;
using Npgsql;
using NpgsqlTypes;

namespace Countersign.Postgres;

/// <summary>Reads and writes approval requests and their decisions as rows.</summary>
internal static class ApprovalRows
{
    private const string RequestColumns = """
        r.id, r.action_id, r.tool_name, r.payload_hash, r.redacted_arguments_json, r.agent_id, r.session_id, r.requested_by,
        r.idempotency_key, r.description, r.risk, r.reasons, r.quorum, r.reviewer_roles, r.created_at, r.expires_at,
        r.grant_expires_at, r.status, r.consumed_at, r.grant_validity_ms
        """;

    private const string DecisionColumns = "d.reviewer, d.approved, d.comment, d.decided_at, d.source, d.roles";

    private const int DecisionOrdinal = 20;

    /// <summary>
    /// Reads the requests that <paramref name="where"/> (conditions on <c>r</c>), <paramref name="order"/> and
    /// <paramref name="limit"/> select, each with its decisions, in one statement and so from one snapshot.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <param name="where">The condition, or <see langword="null"/>.</param>
    /// <param name="order">The order, on columns of <c>r</c>: <c>r.created_at, r.id</c>.</param>
    /// <param name="limit">The most requests to read, or <see langword="null"/>.</param>
    /// <param name="bind">Adds the parameters the condition uses.</param>
    /// <param name="forUpdate">Whether to lock the selected request rows until the transaction ends.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The requests, in order.</returns>
    public static async Task<List<ApprovalRequest>> QueryAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string? where,
        string order,
        int? limit,
        Action<NpgsqlParameterCollection> bind,
        CancellationToken cancellationToken,
        bool forUpdate = false)
    {
        // The requests are picked (and limited) first, then joined to their decisions; the outer order repeats the inner.
        var sql = $"""
            SELECT {RequestColumns}, {DecisionColumns}
            FROM (SELECT * FROM approval_requests r {(where is null ? string.Empty : "WHERE " + where)} ORDER BY {order}
                  {(limit is { } n ? "LIMIT " + n.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}
                  {(forUpdate ? "FOR UPDATE" : string.Empty)}) r
            LEFT JOIN approval_decisions d ON d.approval_id = r.id
            ORDER BY {order}, d.position
            """;
        using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerLifetime = reader.ConfigureAwait(false);
        var requests = new List<ApprovalRequest>();
        List<Review>? decisions = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (requests.Count == 0 || !string.Equals(requests[^1].Id, id, StringComparison.Ordinal))
            {
                Close(requests, decisions);
                requests.Add(ReadRequest(reader));
                decisions = null;
            }

            if (!reader.IsDBNull(DecisionOrdinal))
            {
                (decisions ??= []).Add(ReadDecision(reader));
            }
        }

        Close(requests, decisions);
        return requests;
    }

    /// <summary>Reads one request by id.</summary>
    public static async Task<ApprovalRequest?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, CancellationToken cancellationToken, bool forUpdate = false) =>
        (await QueryAsync(connection, transaction, "r.id = @id", "r.id", null, p => p.AddWithValue("id", id), cancellationToken, forUpdate).ConfigureAwait(false))
        .FirstOrDefault();

    /// <summary>Reads the requests with the given ids.</summary>
    public static Task<List<ApprovalRequest>> GetManyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> ids, string? extraCondition, CancellationToken cancellationToken) =>
        QueryAsync(
            connection,
            transaction,
            "r.id = ANY(@ids)" + (extraCondition is null ? string.Empty : " AND " + extraCondition),
            "r.id",
            null,
            p => p.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.ToArray() }),
            cancellationToken);

    /// <summary>Inserts a new request (no decisions yet), as prepared by <see cref="ApprovalTransitions.PrepareNew"/> and <see cref="Stored(ApprovalRequest)"/>.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ApprovalRequest request, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, agent_id,
                session_id, requested_by, idempotency_key, description, risk, reasons, quorum, reviewer_roles,
                created_at, expires_at, status, grant_validity_ms)
            VALUES (@id, @action_id, @tool_name, @payload_hash, @args, @agent_id, @session_id, @requested_by,
                @idempotency_key, @description, @risk, @reasons, @quorum, @roles, @created_at, @expires_at, 0, @grant_validity_ms)
            """,
            connection,
            transaction);
        var p = command.Parameters;
        p.AddWithValue("id", request.Id);
        p.AddWithValue("action_id", request.ActionId);
        p.AddWithValue("tool_name", request.ToolName);
        p.AddWithValue("payload_hash", request.PayloadHash);
        p.AddWithValue("args", request.RedactedArgumentsJson);
        p.AddWithValue("agent_id", NpgsqlDbType.Text, (object?)request.AgentId ?? DBNull.Value);
        p.AddWithValue("session_id", NpgsqlDbType.Text, (object?)request.SessionId ?? DBNull.Value);
        p.AddWithValue("requested_by", NpgsqlDbType.Text, (object?)request.RequestedBy ?? DBNull.Value);
        p.AddWithValue("idempotency_key", NpgsqlDbType.Text, (object?)request.IdempotencyKey ?? DBNull.Value);
        p.AddWithValue("description", NpgsqlDbType.Text, (object?)request.Description ?? DBNull.Value);
        p.AddWithValue("risk", (short)request.Risk);
        p.AddWithValue("reasons", request.Reasons.ToArray());
        p.AddWithValue("quorum", request.Quorum);
        p.AddWithValue("roles", request.ReviewerRoles.ToArray());
        p.AddWithValue("created_at", PostgresTime.Stored(request.CreatedAt));
        p.AddWithValue("expires_at", PostgresTime.Stored(request.ExpiresAt));
        p.AddWithValue("grant_validity_ms", NpgsqlDbType.Bigint, request.GrantValidity is { } validity ? (long)validity.TotalMilliseconds : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a decision at the given position.</summary>
    public static async Task InsertDecisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string approvalId, int position, Review decision, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            INSERT INTO approval_decisions (approval_id, position, reviewer, approved, comment, decided_at, source, roles)
            VALUES (@id, @position, @reviewer, @approved, @comment, @decided_at, @source, @roles)
            """,
            connection,
            transaction);
        var p = command.Parameters;
        p.AddWithValue("id", approvalId);
        p.AddWithValue("position", position);
        p.AddWithValue("reviewer", decision.Reviewer);
        p.AddWithValue("approved", decision.Approved);
        p.AddWithValue("comment", NpgsqlDbType.Text, (object?)decision.Comment ?? DBNull.Value);
        p.AddWithValue("decided_at", PostgresTime.Stored(decision.DecidedAt));
        p.AddWithValue("source", decision.Source);
        p.AddWithValue("roles", decision.Roles.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request with its times as PostgreSQL keeps them (whole microseconds), so what the store returns is what it stored.</summary>
    public static ApprovalRequest Stored(ApprovalRequest request) => request with
    {
        CreatedAt = PostgresTime.Stored(request.CreatedAt),
        ExpiresAt = PostgresTime.Stored(request.ExpiresAt),
        GrantExpiresAt = PostgresTime.Stored(request.GrantExpiresAt),
        ConsumedAt = PostgresTime.Stored(request.ConsumedAt),
    };

    /// <summary>The decision with its time as PostgreSQL keeps it.</summary>
    public static Review Stored(Review decision) => decision with { DecidedAt = PostgresTime.Stored(decision.DecidedAt) };

    private static void Close(List<ApprovalRequest> requests, List<Review>? decisions)
    {
        if (decisions is not null)
        {
            requests[^1] = requests[^1] with { Decisions = decisions };
        }
    }

    private static ApprovalRequest ReadRequest(NpgsqlDataReader reader) => new()
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
        Risk = (RiskLevel)reader.GetInt16(10),
        Reasons = reader.GetFieldValue<string[]>(11),
        Quorum = reader.GetInt32(12),
        ReviewerRoles = reader.GetFieldValue<string[]>(13),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(14),
        ExpiresAt = reader.GetFieldValue<DateTimeOffset>(15),
        GrantExpiresAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
        Status = (ApprovalStatus)reader.GetInt16(17),
        ConsumedAt = reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18),
        GrantValidity = reader.IsDBNull(19) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(19)),
    };

    private static Review ReadDecision(NpgsqlDataReader reader) => new(
        reader.GetString(DecisionOrdinal),
        reader.GetBoolean(DecisionOrdinal + 1),
        NullableString(reader, DecisionOrdinal + 2),
        reader.GetFieldValue<DateTimeOffset>(DecisionOrdinal + 3),
        reader.GetString(DecisionOrdinal + 4))
    {
        Roles = reader.GetFieldValue<string[]>(DecisionOrdinal + 5),
    };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
