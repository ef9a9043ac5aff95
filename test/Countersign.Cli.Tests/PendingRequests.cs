using Countersign.Approvals;
using Countersign.Policy;
using Countersign.Sqlite;

namespace Countersign.Cli.Tests;

/// <summary>Puts approval requests into a SQLite store the way an agent's gate does, without waiting for a decision.</summary>
internal static class PendingRequests
{
    public static async Task<string> CreateAsync(string database, string tool = "send_email", object? arguments = null, string agent = "mail-agent")
    {
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = database });
        await using var gate = new ActionGateBuilder()
            .UsePolicy(ActionPolicy.RequireApprovalForAll)
            .UseSqlite(store)
            .Configure(options =>
            {
                options.ReadEnvironment = false;
                options.OnReview = OnReviewBehavior.FailClosed;
                options.ReviewTimeout = TimeSpan.FromHours(1);
            })
            .Build();
        var outcome = await gate.ExecuteOutcomeAsync(
            ActionRequest.Create(tool, arguments ?? new { to = "ana@example.com", subject = "Hello" }) with { AgentId = agent, RequestedBy = agent, Description = "Say hello" },
            _ => ValueTask.FromResult("sent"));
        Assert.Equal(GateOutcomeKind.Pending, outcome.Kind);
        var approval = await store.Approvals.FindByActionIdAsync(outcome.ActionId);
        return Assert.IsType<ApprovalRequest>(approval).Id;
    }
}
