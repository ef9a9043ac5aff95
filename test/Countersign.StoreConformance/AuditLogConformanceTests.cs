using System.Text;
using System.Text.Json;
using Countersign.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.StoreConformance;

/// <summary>
/// The behaviour every <see cref="IAuditLog"/> must show. A log's test project derives from this class and supplies a
/// fresh, empty log per test.
/// </summary>
public abstract partial class AuditLogConformanceTests : IAsyncLifetime
{
    /// <summary>Generous bound on work that must complete; it only stops a broken log from hanging the run.</summary>
    protected static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>Gets the clock entries take their timestamps from.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the log under test.</summary>
    protected IAuditLog Log { get; private set; } = null!;

    /// <summary>Creates a fresh, empty log.</summary>
    protected abstract Task<IAuditLog> CreateLogAsync();

    /// <summary>Releases the log created by <see cref="CreateLogAsync"/>.</summary>
    protected virtual Task DisposeLogAsync(IAuditLog log) =>
        log is IAsyncDisposable disposable ? disposable.DisposeAsync().AsTask() : Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => Log = await CreateLogAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeLogAsync(Log);

    /// <summary>Builds a minimal entry.</summary>
    protected AuditEntry Entry(string actionId, AuditEventKind kind = AuditEventKind.ApprovalRequested) => new()
    {
        Timestamp = Time.GetUtcNow(),
        Kind = kind,
        ActionId = actionId,
        ToolName = "refund",
    };

    /// <summary>Builds an entry with every field set.</summary>
    protected AuditEntry FullEntry(string actionId) => new()
    {
        Timestamp = Time.GetUtcNow().AddTicks(1234567),
        Kind = AuditEventKind.Outcome,
        ActionId = actionId,
        ToolName = "send_email",
        AgentId = "mail-agent",
        SessionId = "session-9",
        RequestedBy = "alice",
        ArgumentsJson = """{"body":"***","to":"ceo@example.com"}""",
        PayloadHash = new string('a', 64),
        Verdict = "require_approval",
        Mode = "enforce",
        WouldBlock = false,
        NeededApproval = true,
        Approved = true,
        ApprovalId = "apr-1",
        DecisionSource = "web",
        Actor = "bob",
        Comment = "ok \"quoted\" — ünïcode",
        Reasons = ["external recipient", "contains attachment"],
        ExecutionPath = "approved",
        Executed = true,
        ResultJson = """{"status":"sent"}""",
        Error = "none",
    };

    [Fact]
    public async Task Appended_entries_read_back_in_order_numbered_from_one()
    {
        await Log.AppendAsync([Entry("a"), Entry("b")]);
        await Log.AppendAsync([Entry("c")]);

        var records = await ToListAsync(Log.ReadAsync());

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(["a", "b", "c"], records.Select(r => r.Entry.ActionId));
    }

    [Fact]
    public async Task Every_field_survives_the_round_trip()
    {
        var entry = FullEntry("a");
        await Log.AppendAsync([entry]);

        var read = Assert.Single(await ToListAsync(Log.ReadAsync())).Entry;

        Assert.Equal(entry.Timestamp, read.Timestamp);
        Assert.Equal(entry with { Timestamp = read.Timestamp, Reasons = read.Reasons }, read);
        Assert.Equal(entry.Reasons, read.Reasons);
    }

    [Fact]
    public async Task Absent_fields_read_back_absent()
    {
        var entry = Entry("a");
        await Log.AppendAsync([entry]);

        var read = Assert.Single(await ToListAsync(Log.ReadAsync())).Entry;

        Assert.Equal(entry with { Timestamp = read.Timestamp, Reasons = read.Reasons }, read);
        Assert.Empty(read.Reasons);
    }

    [Fact]
    public async Task Reading_after_a_sequence_returns_only_later_records()
    {
        await Log.AppendAsync([Entry("a"), Entry("b"), Entry("c"), Entry("d")]);

        var later = await ToListAsync(Log.ReadAsync(afterSequence: 2));
        var beyond = await ToListAsync(Log.ReadAsync(afterSequence: 9));

        Assert.Equal([3L, 4L], later.Select(r => r.Sequence));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task Each_record_links_to_the_one_before_starting_from_genesis()
    {
        await Log.AppendAsync([Entry("a"), Entry("b"), Entry("c")]);

        var records = await ToListAsync(Log.ReadAsync());

        Assert.Equal(AuditChain.GenesisMac, records[0].PreviousMac);
        Assert.Equal(records[0].Mac, records[1].PreviousMac);
        Assert.Equal(records[1].Mac, records[2].PreviousMac);
        Assert.All(records, r => Assert.Matches("^[0-9a-f]{64}$", r.Mac));
        Assert.Single(records.Select(r => r.KeyId).Distinct());
    }

    [Fact]
    public async Task Empty_log_verifies_clean()
    {
        var result = await Log.VerifyAsync();

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(0, result.EntriesChecked);
    }

    [Fact]
    public async Task Untouched_log_verifies_clean()
    {
        await Log.AppendAsync([FullEntry("a"), Entry("a", AuditEventKind.Authorized)]);
        await Log.AppendAsync([Entry("b")]);

        var result = await Log.VerifyAsync();

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(3, result.EntriesChecked);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Appending_nothing_adds_nothing()
    {
        await Log.AppendAsync([]);

        Assert.Empty(await ToListAsync(Log.ReadAsync()));
        Assert.True((await Log.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Appending_a_null_list_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Log.AppendAsync(null!));
    }

    [Fact]
    public async Task Entry_without_a_tool_name_is_refused_and_nothing_of_its_batch_is_written()
    {
        var bad = Entry("b") with { ToolName = "" };

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Log.AppendAsync([Entry("a"), bad]));

        Assert.Empty(await ToListAsync(Log.ReadAsync()));
    }

    [Fact]
    public async Task Append_with_an_already_cancelled_token_writes_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Log.AppendAsync([Entry("a")], new CancellationToken(canceled: true)));

        Assert.Empty(await ToListAsync(Log.ReadAsync()));
    }

    [Fact]
    public async Task Concurrent_appends_keep_the_chain_valid_and_each_batch_together()
    {
        const int callers = 32;
        const int batchesEach = 10;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appends = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            for (var batch = 0; batch < batchesEach; batch++)
            {
                var actionId = $"{caller}-{batch}";
                await Log.AppendAsync([Entry(actionId, AuditEventKind.ApprovalRequested), Entry(actionId, AuditEventKind.Authorized)]);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(appends).WaitAsync(HangGuard);
        var records = await ToListAsync(Log.ReadAsync());
        var result = await Log.VerifyAsync();

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(callers * batchesEach * 2, records.Count);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence));
        for (var i = 0; i < records.Count; i += 2)
        {
            Assert.Equal(records[i].Entry.ActionId, records[i + 1].Entry.ActionId);
            Assert.Equal(AuditEventKind.ApprovalRequested, records[i].Entry.Kind);
            Assert.Equal(AuditEventKind.Authorized, records[i + 1].Entry.Kind);
        }
    }

    [Fact]
    public async Task Jsonl_export_writes_one_object_per_record_with_every_field_and_the_chain()
    {
        await Log.AppendAsync([FullEntry("a"), Entry("b")]);
        var records = await ToListAsync(Log.ReadAsync());
        using var output = new MemoryStream();

        var written = await AuditJsonlExporter.ExportAsync(Log, output);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, written);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(1, root.GetProperty("sequence").GetInt64());
        Assert.Equal("outcome", root.GetProperty("kind").GetString());
        Assert.Equal("send_email", root.GetProperty("tool").GetString());
        Assert.Equal("ceo@example.com", root.GetProperty("args").GetProperty("to").GetString());
        Assert.True(root.GetProperty("needed_approval").GetBoolean());
        Assert.True(root.GetProperty("approved").GetBoolean());
        Assert.Equal("web", root.GetProperty("decision_source").GetString());
        Assert.Equal("ok \"quoted\" — ünïcode", root.GetProperty("decision_comment").GetString());
        Assert.True(root.GetProperty("executed").GetBoolean());
        Assert.Equal("sent", root.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal("none", root.GetProperty("error").GetString());
        Assert.Equal(2, root.GetProperty("reasons").GetArrayLength());
        Assert.Equal(records[0].KeyId, root.GetProperty("key_id").GetString());
        Assert.Equal(AuditChain.GenesisMac, root.GetProperty("prev_mac").GetString());
        Assert.Equal(records[0].Mac, root.GetProperty("mac").GetString());
        Assert.True(root.TryGetProperty("timestamp", out _));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("args").ValueKind);
        Assert.Equal(records[0].Mac, second.RootElement.GetProperty("prev_mac").GetString());
    }

    [Fact]
    public async Task Jsonl_export_to_a_text_writer_can_start_after_a_sequence()
    {
        await Log.AppendAsync([Entry("a"), Entry("b"), Entry("c")]);
        using var output = new StringWriter();

        var written = await AuditJsonlExporter.ExportAsync(Log, output, afterSequence: 1);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, written);
        Assert.Equal([2L, 3L], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("sequence").GetInt64()));
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
