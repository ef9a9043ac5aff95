using Countersign.Approvals;
using Countersign.Audit;
using Countersign.StoreConformance;
using Countersign.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Approvals;

public sealed class ApprovalExpirySweeperTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApprovalStore _store = new();
    private readonly InMemoryAuditLog _audit = new();

    private ApprovalRequest Request(TimeSpan timeout) => new()
    {
        Id = "apr-" + Guid.NewGuid().ToString("N"),
        ActionId = "act-" + Guid.NewGuid().ToString("N"),
        ToolName = "refund",
        PayloadHash = "hash",
        RedactedArgumentsJson = "{}",
        AgentId = "billing-agent",
        CreatedAt = _time.GetUtcNow(),
        ExpiresAt = _time.GetUtcNow() + timeout,
    };

    private ApprovalExpirySweeper Sweeper(IApprovalStore? store = null, bool enabled = true, ILogger<ApprovalExpirySweeper>? logger = null) =>
        new(store ?? _store, _audit, _time, new ApprovalExpirySweeperOptions { Interval = Interval, Enabled = enabled }, logger);

    private static async Task<ApprovalEvent> NextExpiryAsync(FeedReader feed)
    {
        while (true)
        {
            var change = await feed.NextAsync();
            if (change.Kind == ApprovalEventKind.Expired)
            {
                return change;
            }
        }
    }

    [Fact]
    public async Task A_due_approval_nobody_waits_for_ends_as_expired()
    {
        var request = await _store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(1)));
        await using var feed = new FeedReader(_store);
        using var sweeper = Sweeper();
        await sweeper.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(request.Id, (await NextExpiryAsync(feed)).ApprovalId);
        Assert.Equal(ApprovalStatus.Expired, (await _store.GetAsync(request.Id))!.Status);
        await sweeper.StopAsync(CancellationToken.None);
        var audited = new List<AuditRecord>();
        await foreach (var record in _audit.ReadAsync())
        {
            audited.Add(record);
        }

        var entry = Assert.Single(audited).Entry;
        Assert.Equal(AuditEventKind.ApprovalExpired, entry.Kind);
        Assert.Equal(request.Id, entry.ApprovalId);
        Assert.Equal("timeout", entry.DecisionSource);
    }

    [Fact]
    public async Task The_sweep_runs_again_every_interval()
    {
        var first = await _store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(1)));
        await using var feed = new FeedReader(_store);
        using var sweeper = Sweeper();
        await sweeper.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(first.Id, (await NextExpiryAsync(feed)).ApprovalId);

        var second = await _store.CreateOrGetAsync(Request(Interval));
        _time.Advance(Interval);

        Assert.Equal(second.Id, (await NextExpiryAsync(feed)).ApprovalId);
        await sweeper.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_sweep_is_logged_and_the_next_interval_sweeps_again()
    {
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new ScriptedExpiryStore(_store, call =>
        {
            if (call == 1)
            {
                firstCall.SetResult();
                throw new CountersignStoreException("database is locked", isTransient: true);
            }
        });
        using var logs = new CapturingLoggerFactory();
        var request = await store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(1)));
        await using var feed = new FeedReader(store);
        using var sweeper = Sweeper(store, logger: logs.CreateLogger<ApprovalExpirySweeper>());
        await sweeper.StartAsync(CancellationToken.None);
        await firstCall.Task.WaitAsync(HangGuard);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(request.Id, (await NextExpiryAsync(feed)).ApprovalId);
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("sweep failed", StringComparison.Ordinal));
        await sweeper.StopAsync(CancellationToken.None);
        Assert.True(sweeper.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_disabled_sweeper_never_sweeps()
    {
        var calls = 0;
        var store = new ScriptedExpiryStore(_store, _ => Interlocked.Increment(ref calls));
        await store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(1)));
        using var sweeper = Sweeper(store, enabled: false);

        await sweeper.StartAsync(CancellationToken.None);
        await sweeper.ExecuteTask!.WaitAsync(HangGuard);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Stopping_a_running_sweeper_ends_it_without_an_error()
    {
        var swept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sweeper = Sweeper(new ScriptedExpiryStore(_store, _ => swept.TrySetResult()));
        await sweeper.StartAsync(CancellationToken.None);
        await swept.Task.WaitAsync(HangGuard);

        await sweeper.StopAsync(CancellationToken.None);

        Assert.True(sweeper.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task One_sweep_expires_what_is_due_and_says_how_many()
    {
        await _store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(1)));
        await _store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(2)));
        await _store.CreateOrGetAsync(Request(TimeSpan.FromMinutes(3)));
        using var sweeper = Sweeper();
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(2, await sweeper.SweepAsync());
        Assert.Equal(0, await sweeper.SweepAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(86_400_001)]
    public void An_interval_outside_one_second_to_one_day_is_refused(int milliseconds)
    {
        var options = new ApprovalExpirySweeperOptions { Interval = TimeSpan.FromMilliseconds(milliseconds) };

        Assert.Throws<ArgumentException>(() => new ApprovalExpirySweeper(_store, _audit, _time, options));
    }
}
