using System.Globalization;
using Countersign.Approvals;

namespace Countersign.Postgres.Tests;

/// <summary>
/// Real child processes on one database, as separate agent hosts and server instances would be: they share nothing but
/// PostgreSQL, so only its locks, conditional updates and LISTEN/NOTIFY connect them.
/// </summary>
public sealed class PostgresMultiProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private TestDatabase _database = null!;
    private PostgresStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = await PostgresStore.OpenAsync(_database.Options());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<ApprovalRequest> PendingAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        return await _store.Approvals.CreateOrGetAsync(new ApprovalRequest
        {
            Id = "apr-" + Guid.NewGuid().ToString("N"),
            ActionId = "act-1",
            ToolName = "refund",
            PayloadHash = "hash-1",
            RedactedArgumentsJson = "{}",
            RequestedBy = "refund-bot",
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
        });
    }

    private Task<ReviewResult> ApproveAsync(string id)
    {
        var now = TimeProvider.System.GetUtcNow();
        return _store.Approvals.RecordReviewAsync(id, new Review("bob", true, "ok", now, "web"), now.AddMinutes(30)).AsTask();
    }

    [Fact]
    public async Task Two_processes_racing_to_claim_one_grant_run_it_once()
    {
        var request = await PendingAsync();
        await ApproveAsync(request.Id);
        using var first = ChildHost.Start(Program.ClaimCommand, _database.ConnectionString, request.Id, "hash-1");
        using var second = ChildHost.Start(Program.ClaimCommand, _database.ConnectionString, request.Id, "hash-1");
        Assert.Equal(Program.Ready, await first.ReadLineAsync());
        Assert.Equal(Program.Ready, await second.ReadLineAsync());

        await Task.WhenAll(first.SendLineAsync("go"), second.SendLineAsync("go"));
        string[] outcomes = [await first.ReadLineAsync(), await second.ReadLineAsync()];

        Assert.Equal(["claimed", "lost"], outcomes.Order(StringComparer.Ordinal));
        Assert.Equal(ApprovalStatus.Consumed, (await _store.Approvals.GetAsync(request.Id))!.Status);
        Assert.Equal(0, await first.ExitCodeAsync());
        Assert.Equal(0, await second.ExitCodeAsync());
    }

    [Fact]
    public async Task A_decision_made_in_one_process_wakes_the_wait_in_another()
    {
        var request = await PendingAsync();
        using var waiter = ChildHost.Start(Program.WaitCommand, _database.ConnectionString, request.Id, "50");
        Assert.Equal(Program.Listening, await waiter.ReadLineAsync());

        await ApproveAsync(request.Id);

        Assert.Equal("Granted 1", await waiter.ReadLineAsync());
        Assert.Equal(0, await waiter.ExitCodeAsync());
    }

    [Fact]
    public async Task A_decision_made_while_the_waiting_process_lost_its_connection_still_wakes_it()
    {
        var request = await PendingAsync();

        // A long reconnect delay, so the decision below certainly lands while the child is not listening.
        using var waiter = ChildHost.Start(Program.WaitCommand, _database.ConnectionString, request.Id, "1500");
        Assert.Equal(Program.Listening, await waiter.ReadLineAsync());

        // pg_terminate_backend only signals the backend unless given a timeout: without one, the decision below could
        // be delivered on the old connection before it dies, and the child would never need to reconnect.
        var terminated = await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{PostgresChangeListener.ApplicationName}') AS t WHERE t.pg_terminate_backend");
        await ApproveAsync(request.Id);

        Assert.Equal(1, terminated);
        var outcome = (await waiter.ReadLineAsync()).Split(' ');
        Assert.Equal("Granted", outcome[0]);
        Assert.Equal(2, int.Parse(outcome[1], CultureInfo.InvariantCulture));
    }
}
