using Countersign.Audit;

namespace Countersign.Postgres.Tests;

/// <summary>Several hosts appending to one audit log: one chain, however their appends interleave.</summary>
public sealed class PostgresAuditChainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private PostgresStore _a = null!;
    private PostgresStore _b = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _a = await PostgresStore.OpenAsync(_database.Options());
        _b = await PostgresStore.OpenAsync(_database.Options());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static AuditEntry Entry(string actionId) => new() { Timestamp = At, Kind = AuditEventKind.Authorized, ActionId = actionId, ToolName = "refund" };

    [Fact]
    public async Task Hosts_taking_turns_extend_one_chain_even_when_each_host_s_view_of_the_head_is_stale()
    {
        for (var i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? _a : _b).AuditLog.AppendAsync([Entry($"a-{i}"), Entry($"b-{i}")]);
        }

        var verified = await _a.AuditLog.VerifyAsync();
        var records = new List<AuditRecord>();
        await foreach (var record in _b.AuditLog.ReadAsync())
        {
            records.Add(record);
        }

        Assert.True(verified.IsValid, verified.Problem);
        Assert.Equal(40, verified.EntriesChecked);
        Assert.Equal(Enumerable.Range(0, 20).SelectMany(i => new[] { $"a-{i}", $"b-{i}" }), records.Select(r => r.Entry.ActionId));
    }

    [Fact]
    public async Task Hosts_appending_at_once_extend_one_chain_with_every_entry_once()
    {
        var appends = Enumerable.Range(0, 200).Select(i => Task.Run(() => (i % 2 == 0 ? _a : _b).AuditLog.AppendAsync([Entry($"c-{i}")]).AsTask())).ToArray();

        await Task.WhenAll(appends);
        var verified = await _b.AuditLog.VerifyAsync();
        var ids = new List<string>();
        await foreach (var record in _a.AuditLog.ReadAsync())
        {
            ids.Add(record.Entry.ActionId);
        }

        Assert.True(verified.IsValid, verified.Problem);
        Assert.Equal(200, verified.EntriesChecked);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"c-{i}").Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.True(_a.AuditLog.TransactionsCommitted + _b.AuditLog.TransactionsCommitted <= 200);
    }
}
