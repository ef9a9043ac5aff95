using Countersign.Audit;
using Countersign.Governance;
using Countersign.Policy;
using Microsoft.Extensions.Time.Testing;

namespace Countersign.Tests.Governance;

/// <summary>A gate over in-memory stores and a fake clock, with the governance stages a test configures.</summary>
internal sealed class GovernanceHarness : IAsyncDisposable
{
    public GovernanceHarness(Action<ActionGateBuilder> configure, ActionPolicy? policy = null)
    {
        var builder = new ActionGateBuilder()
            .UsePolicy(policy ?? ActionPolicy.AllowAll)
            .UseAuditLog(Audit)
            .UseTimeProvider(Clock)
            .UseEnvironment(_ => null);
        configure(builder);
        Gate = builder.Build();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public InMemoryAuditLog Audit { get; } = new();

    public ActionGate Gate { get; }

    public GateGovernance Governance => Gate.Governance;

    public static ActionRequest Call(string tool, string? agent = "agent-1", string? session = "s-1", object? args = null) => new()
    {
        ToolName = tool,
        Arguments = ActionArguments.From(args ?? new { n = 1 }),
        AgentId = agent,
        SessionId = session,
        RequestedBy = "requester",
    };

    public Task<GateOutcome<int>> RunAsync(ActionRequest request) => Gate.ExecuteOutcomeAsync(request, _ => new ValueTask<int>(1));

    public static string DenialCode(GateOutcome<int> outcome) => Assert.IsType<ActionDeniedException>(outcome.Rejection).DenialReason.Code;

    public async Task<List<AuditEntry>> EntriesAsync()
    {
        var entries = new List<AuditEntry>();
        await foreach (var record in Audit.ReadAsync())
        {
            entries.Add(record.Entry);
        }

        return entries;
    }

    public ValueTask DisposeAsync() => Gate.DisposeAsync();
}
