using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Notifications;
using Countersign.StoreConformance.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Notifications;

public sealed class NotificationDispatcherTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApprovalStore _store = new();
    private readonly SignalingOutbox _outbox = new(new InMemoryNotificationOutbox());

    [Fact]
    public async Task Two_dispatchers_on_one_store_deliver_each_approval_once_per_channel()
    {
        ScriptedChannel[] first = [new("test"), new("chat")];
        ScriptedChannel[] second = [new("test"), new("chat")];
        await using var one = Dispatcher(first);
        await using var two = Dispatcher(second);
        await one.StartAsync(CancellationToken.None);
        await two.StartAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            await _store.CreateOrGetAsync(NewApproval($"apr-{i}"));
        }

        for (var i = 0; i < 20; i++)
        {
            await _outbox.NextDeliveredAsync();
        }

        await one.DisposeAsync();
        await two.DisposeAsync();
        for (var c = 0; c < 2; c++)
        {
            var announced = first[c].Announced.Concat(second[c].Announced).Select(a => a.Id).ToList();
            Assert.Equal(10, announced.Count);
            Assert.Equal(10, announced.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public async Task A_failing_channel_is_tried_again_with_backoff_until_it_succeeds()
    {
        var channel = new ScriptedChannel(onNotify: (call, _) => call <= 2 ? throw new HttpRequestException("webhook unreachable") : ValueTask.CompletedTask);
        await using var dispatcher = Dispatcher([channel], new NotificationDispatcherOptions { FirstRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromMinutes(1) });
        await _store.CreateOrGetAsync(NewApproval("apr-flaky"));

        await dispatcher.AnnouncePendingAsync();
        var failure = await _outbox.NextFailureAsync();
        Assert.Equal(_clock.GetUtcNow().AddSeconds(2), failure.DueAt);
        Assert.Equal("webhook unreachable", failure.LastError);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.RetryDueAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.RetryDueAsync());
        failure = await _outbox.NextFailureAsync();
        Assert.Equal(_clock.GetUtcNow().AddSeconds(4), failure.DueAt);

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await dispatcher.RetryDueAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.RetryDueAsync());
        var delivered = await _outbox.NextDeliveredAsync();

        Assert.Equal(3, delivered.Attempts);
        Assert.Equal(3, channel.Calls);
    }

    [Fact]
    public async Task A_delivery_that_fails_every_attempt_is_given_up()
    {
        var channel = new ScriptedChannel(onNotify: (_, _) => throw new HttpRequestException("webhook unreachable"));
        await using var dispatcher = Dispatcher([channel], new NotificationDispatcherOptions { MaxAttempts = 2 });
        await _store.CreateOrGetAsync(NewApproval("apr-hopeless"));
        await dispatcher.AnnouncePendingAsync();
        await _outbox.NextFailureAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await dispatcher.RetryDueAsync());

        var last = await _outbox.NextFailureAsync();
        _clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(DateTimeOffset.MaxValue, last.DueAt);
        Assert.Equal(0, await dispatcher.RetryDueAsync());
        Assert.Equal(2, channel.Calls);
    }

    [Fact]
    public async Task A_channel_call_longer_than_a_lease_keeps_it_from_other_dispatchers()
    {
        var answered = new TaskCompletionSource();
        var asking = new ScriptedChannel(onNotify: async (_, cancellationToken) => await answered.Task.WaitAsync(cancellationToken));
        var other = new ScriptedChannel();
        var options = new NotificationDispatcherOptions { LeaseDuration = TimeSpan.FromMinutes(2) };
        await using var holder = Dispatcher([asking], options);
        await using var bystander = Dispatcher([other], options);
        await _store.CreateOrGetAsync(NewApproval("apr-slow"));
        await holder.AnnouncePendingAsync();
        await asking.NextAnnouncedAsync();

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _outbox.NextExtendedAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var extended = await _outbox.NextExtendedAsync();

        Assert.Equal(_clock.GetUtcNow().AddMinutes(2), extended.DueAt);
        Assert.Equal(0, await bystander.RetryDueAsync());
        Assert.Equal(0, other.Calls);
        answered.SetResult();
        Assert.Equal(1, (await _outbox.NextDeliveredAsync()).Attempts);
    }

    [Fact]
    public void Two_channels_with_one_name_are_refused_when_the_gate_is_built()
    {
        var builder = new ActionGateBuilder().UseEnvironment(_ => null).AddChannel(new ScriptedChannel("chat")).AddChannel(new ScriptedChannel("chat"));

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("'chat'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_still_asking_is_cancelled_and_told_when_the_approval_is_resolved()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new ScriptedChannel(onNotify: async (_, cancellationToken) =>
        {
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        await using var dispatcher = Dispatcher([channel]);
        await dispatcher.StartAsync(CancellationToken.None);
        var approval = await _store.CreateOrGetAsync(NewApproval("apr-asking"));
        await channel.NextAnnouncedAsync();

        await Reviews().DecideAsync(approval.Id, "bob", approve: true, comment: null, source: "web");

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ApprovalStatus.Granted, (await channel.NextResolvedAsync()).Status);
    }

    [Fact]
    public async Task A_channel_that_throws_never_reaches_the_guarded_call()
    {
        var channel = new ScriptedChannel(onNotify: (_, _) => throw new InvalidOperationException("chat service down"));
        await using var gate = new ActionGateBuilder()
            .UseApprovalStore(_store)
            .UseNotificationOutbox(_outbox)
            .UseTimeProvider(_clock)
            .UseEnvironment(_ => null)
            .AddChannel(channel)
            .Build();
        var requested = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = gate.ExecuteAsync(
            ActionRequest.Create("deploy") with { AgentId = "deploy-bot" },
            _ => new ValueTask<int>(42),
            new GateCallOptions { OnApprovalRequested = args => { requested.TrySetResult(args.Approval.Id); return ValueTask.CompletedTask; } });

        var approvalId = await requested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _outbox.NextFailureAsync();
        await gate.Reviews.DecideAsync(approvalId, "bob", approve: true, comment: null, source: "web");

        Assert.Equal(42, await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private NotificationDispatcher Dispatcher(IEnumerable<ScriptedChannel> channels, NotificationDispatcherOptions? options = null) =>
        new(_store, _outbox, channels, Reviews(), _clock, options);

    private ReviewRecorder Reviews() => new(_store, new InMemoryAuditLog(), _clock);

    private ApprovalRequest NewApproval(string id) => new()
    {
        Id = id,
        ActionId = "act-" + id,
        ToolName = "refund",
        PayloadHash = "hash-of-" + id,
        RedactedArgumentsJson = """{"amount":42}""",
        AgentId = "billing-agent",
        RequestedBy = "alice",
        Risk = RiskLevel.High,
        Reasons = ["amount above 10"],
        Quorum = 1,
        ReviewerRoles = [],
        CreatedAt = _clock.GetUtcNow(),
        ExpiresAt = _clock.GetUtcNow().AddMinutes(10),
    };
}
