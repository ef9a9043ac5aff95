using System.Diagnostics;
using System.Globalization;
using System.Text;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Postgres;
using Npgsql;

namespace Countersign.LoadHarness;

/// <summary>
/// The reviewer's reads on a large PostgreSQL store: the pending queue (first page and the next, by cursor) among many
/// decided approvals, and a page of the audit log read from a random place in a table of millions of rows. The rows are
/// generated in SQL for speed: the audit rows carry real entries but placeholder MACs, so this scenario never verifies
/// the chain.
/// </summary>
internal static class PostgresQueryScenario
{
    private const int ChunkRows = 1_000_000;

    public static async Task<int> RunAsync(HarnessArguments arguments)
    {
        var auditRows = arguments.Int("audit-rows", 10_000_000);
        var approvals = arguments.Int("approvals", 100_000);
        var pending = arguments.Int("pending", 1_000);
        var iterations = arguments.Int("iterations", 500);
        await using var scratch = await ScratchPostgresDatabase.CreateAsync(arguments);
        await using var store = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = scratch.ConnectionString });
        Console.WriteLine($"queries: {auditRows:N0} audit rows, {approvals:N0} approvals of which {pending:N0} pending, {iterations} iterations, database {scratch.Name}");

        var fillStarted = Stopwatch.GetTimestamp();
        await FillAsync(scratch.ConnectionString, auditRows, approvals, pending);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated in {Stopwatch.GetElapsedTime(fillStarted).TotalSeconds:0} s"));

        var now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var firstPage = new List<double>(iterations);
        var nextPage = new List<double>(iterations);
        var auditPage = new List<double>(iterations);
        var auditTail = new List<double>(iterations);
        var random = new Random(7);
        var queue = new ApprovalQuery { Statuses = [ApprovalStatus.Pending], Order = ApprovalOrder.OldestFirst, PageSize = 50 };
        for (var i = 0; i < iterations + 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await store.Approvals.QueryAsync(queue, now);
            var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            await store.Approvals.QueryAsync(queue with { After = page.NextCursor }, now);
            var next = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            var read = await ReadAuditPageAsync(store.AuditLog, random.NextInt64(0, Math.Max(1, auditRows - 100)));
            var audit = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            await ReadAuditPageAsync(store.AuditLog, Math.Max(0, auditRows - 50));
            var tail = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (page.Items.Count != Math.Min(50, pending) || read == 0)
            {
                throw new InvalidOperationException($"unexpected page sizes: {page.Items.Count} pending, {read} audit records");
            }

            if (i >= 20)
            {
                firstPage.Add(first);
                nextPage.Add(next);
                auditPage.Add(audit);
                auditTail.Add(tail);
            }
        }

        Console.WriteLine("pending queue, first page of 50:     " + Percentiles.Describe(firstPage));
        Console.WriteLine("pending queue, next page by cursor:  " + Percentiles.Describe(nextPage));
        Console.WriteLine("audit page of 50 at a random place:  " + Percentiles.Describe(auditPage));
        Console.WriteLine("audit page of the latest 50:         " + Percentiles.Describe(auditTail));
        return 0;
    }

    /// <summary>Reads up to 50 records after <paramref name="afterSequence"/>, as a page of the audit view would.</summary>
    private static async Task<int> ReadAuditPageAsync(IAuditLog log, long afterSequence)
    {
        var count = 0;
        await foreach (var unused in log.ReadAsync(afterSequence))
        {
            if (++count == 50)
            {
                break;
            }
        }

        return count;
    }

    private static async Task FillAsync(string connectionString, int auditRows, int approvals, int pending)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var template = Encoding.UTF8.GetString(AuditChain.GetEntryBytes(new AuditEntry
        {
            Timestamp = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
            Kind = AuditEventKind.Authorized,
            ActionId = "act-#",
            ToolName = "refund",
            RequestedBy = "refund-bot",
            ArgumentsJson = "{\"amount\":40,\"order_id\":\"ord_#\"}",
            Verdict = "allow",
            Mode = "enforce",
            Reasons = ["rule refund#2 allows"],
        }));
        for (long from = 1; from <= auditRows; from += ChunkRows)
        {
            var to = Math.Min(auditRows, from + ChunkRows - 1);
            await ExecuteAsync(
                connection,
                $"""
                INSERT INTO audit_entries (sequence, entry, key_id, prev_mac, mac)
                SELECT g, replace(@template, '#', g::text), 'load', md5(g::text) || md5((g - 1)::text), md5(g::text) || md5((g + 1)::text)
                FROM generate_series({from}::bigint, {to}::bigint) AS g
                """,
                ("template", template));
            Console.WriteLine($"  audit rows {to:N0}");
        }

        await ExecuteAsync(connection, "UPDATE audit_chain_head SET sequence = @rows WHERE id = 1", ("rows", (long)auditRows));

        // Decided approvals (denied or consumed) spread over a month before the pending ones, which expire in the future.
        await ExecuteAsync(
            connection,
            """
            INSERT INTO approval_requests (id, action_id, tool_name, payload_hash, redacted_arguments_json, requested_by, risk,
                reasons, quorum, reviewer_roles, created_at, expires_at, grant_expires_at, status, consumed_at)
            SELECT 'apr-' || g, 'act-' || g, 'refund', 'hash', '{"amount":400}', 'refund-bot', 1, ARRAY['amount over 100'], 1, ARRAY[]::text[],
                   timestamptz '2026-02-01' + g * interval '1 second',
                   timestamptz '2026-02-01' + g * interval '1 second' + interval '1 hour',
                   CASE WHEN g <= @decided AND g % 2 = 0 THEN timestamptz '2026-02-01' + g * interval '1 second' + interval '2 hours' END,
                   CASE WHEN g > @decided THEN 0 WHEN g % 2 = 0 THEN 4 ELSE 2 END,
                   CASE WHEN g <= @decided AND g % 2 = 0 THEN timestamptz '2026-02-01' + g * interval '1 second' + interval '1 hour' END
            FROM generate_series(1, @total) AS g
            """,
            ("decided", approvals - pending),
            ("total", approvals));
        await ExecuteAsync(connection, "UPDATE approval_requests SET expires_at = timestamptz '2026-03-09' WHERE status = 0");
        await ExecuteAsync(connection, "VACUUM ANALYZE approval_requests");
        await ExecuteAsync(connection, "VACUUM ANALYZE audit_entries");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
