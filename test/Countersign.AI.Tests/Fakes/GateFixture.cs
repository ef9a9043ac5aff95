using Countersign.Approvals;
using Countersign.Policy;
using Countersign.Sqlite;

namespace Countersign.AI.Tests.Fakes;

/// <summary>A gate on a real SQLite file in a fresh temporary folder, with the tools these tests call and counters of what ran.</summary>
internal sealed class GateFixture : IAsyncDisposable
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("lookup_order", r => r.Allow())
        .ForTool("refund", r => r.RequireApproval())
        .ForTool("wipe_account", r => r.Deny("accounts are never wiped by an agent"))
        .Build();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "countersign-ai-tests", Guid.NewGuid().ToString("N"));
    private int _lookups;
    private int _refunds;

    public GateFixture(Func<ActionGateBuilder, ActionGateBuilder>? configure = null, OnReviewBehavior onReview = OnReviewBehavior.Block)
    {
        Directory.CreateDirectory(_directory);
        var builder = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseSqlite(Path.Combine(_directory, "countersign.db"), o => o.ChangePollInterval = TimeSpan.FromMilliseconds(20))
            .UseEnvironment(_ => null)
            .Configure(o =>
            {
                o.OnReview = onReview;
                o.ReviewTimeout = TimeSpan.FromMinutes(10);
            })
            .OnApprovalRequested(args =>
            {
                Requested.Writer.TryWrite(args);
                return ValueTask.CompletedTask;
            });
        Gate = (configure?.Invoke(builder) ?? builder).Build();
        LookupOrder = AIFunctionFactory.Create(
            (string orderId) =>
            {
                Interlocked.Increment(ref _lookups);
                LookupRan.Writer.TryWrite(orderId);
                return $"order {orderId}: shipped";
            },
            "lookup_order",
            "Looks up an order's status.");
        Refund = AIFunctionFactory.Create(
            (string orderId, decimal amount) =>
            {
                Interlocked.Increment(ref _refunds);
                return $"refunded {amount} on {orderId}";
            },
            "refund",
            "Refunds an order.");
        WipeAccount = AIFunctionFactory.Create((string accountId) => "wiped", "wipe_account", "Deletes an account.");
    }

    public ActionGate Gate { get; }

    public AIFunction LookupOrder { get; }

    public AIFunction Refund { get; }

    public AIFunction WipeAccount { get; }

    public AITool[] Tools => [LookupOrder, Refund, WipeAccount];

    public int Lookups => Volatile.Read(ref _lookups);

    public int Refunds => Volatile.Read(ref _refunds);

    /// <summary>Every approval the gate created, as it was created.</summary>
    public System.Threading.Channels.Channel<OnApprovalRequestedArguments> Requested { get; } = System.Threading.Channels.Channel.CreateUnbounded<OnApprovalRequestedArguments>();

    /// <summary>Every order id lookup_order ran with.</summary>
    public System.Threading.Channels.Channel<string> LookupRan { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

    /// <summary>Waits for the next approval; a generous bound turns a hang into a failure, it never paces the test.</summary>
    public async Task<OnApprovalRequestedArguments> NextApprovalAsync() =>
        await Requested.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await Gate.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file the OS still holds is left for the temp folder's cleanup.
        }
    }
}
