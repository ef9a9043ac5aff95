using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Policy;
using Countersign.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Gate;

/// <summary>A gate over in-memory stores, a fake clock and a recording channel; no environment variables leak in.</summary>
internal sealed class GateHarness
{
    public GateHarness(ActionPolicy? policy = null, Action<CountersignOptions>? configure = null, IAuditLog? audit = null, IApprovalStore? store = null, IReadOnlyDictionary<string, string>? environment = null, Action<ActionGateBuilder>? builder = null)
    {
        Audit = audit ?? new InMemoryAuditLog();
        Store = store ?? new InMemoryApprovalStore();
        var gateBuilder = new ActionGateBuilder()
            .UsePolicy(policy ?? ActionPolicy.RequireApprovalForAll)
            .UseApprovalStore(Store)
            .UseAuditLog(Audit)
            .UseTimeProvider(Clock)
            .UseEnvironment(name => environment is not null && environment.TryGetValue(name, out var value) ? value : null)
            .AddChannel(Channel)
            .Configure(o => o.DefaultRequestedBy = DefaultRequester);
        if (configure is not null)
        {
            gateBuilder.Configure(configure);
        }

        builder?.Invoke(gateBuilder);
        Gate = gateBuilder.Build();
    }

    /// <summary>The gate-wide requester for calls that name none, so only tests about it meet an anonymous call.</summary>
    public const string DefaultRequester = "test-agent";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public RecordingChannel Channel { get; } = new();

    public IAuditLog Audit { get; }

    public IApprovalStore Store { get; }

    public ActionGate Gate { get; }

    public static ActionRequest Refund(decimal amount, string? key = null, string requestedBy = "refund-bot") => new()
    {
        ToolName = "refund",
        Arguments = ActionArguments.From(new { order_id = "ord_1", amount }),
        RequestedBy = requestedBy,
        IdempotencyKey = key,
    };

    public async Task<List<AuditRecord>> AuditRecordsAsync()
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Audit.ReadAsync())
        {
            records.Add(record);
        }

        return records;
    }

    public async Task<List<AuditEventKind>> KindsForAsync(string actionId) =>
        (await AuditRecordsAsync()).Where(r => r.Entry.ActionId == actionId).Select(r => r.Entry.Kind).ToList();

    public ValueTask<ReviewResult> DecideAsync(string approvalId, string reviewer, bool approve, string? comment = null, params string[] roles) =>
        Gate.Reviews.DecideAsync(approvalId, reviewer, approve, comment, "test", roles);
}
