using Countersign.Governance;

namespace Countersign.Sqlite.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test runs this assembly as a child process
/// (<c>dotnet Countersign.Sqlite.Tests.dll open-store &lt;path&gt;</c>); the test runner never calls it.
/// </summary>
internal static class Program
{
    public const string OpenStoreCommand = "open-store";
    public const string Ready = "ready";
    public const string GatedCallCommand = "gated-call";

    /// <summary>
    /// <c>open-store &lt;path&gt;</c>: prints <see cref="Ready"/>, waits for a line on standard input, opens the store
    /// at the path, appends one audit entry, and prints the audit key id it holds.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is [GatedCallCommand, var database, var agent, var tool, var cap])
        {
            return await GatedCallAsync(database, agent, tool, int.Parse(cap, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (args is not [OpenStoreCommand, var path])
        {
            await Console.Error.WriteLineAsync($"usage: {OpenStoreCommand} <database path>");
            return 2;
        }

        Console.WriteLine(Ready);
        await Console.In.ReadLineAsync();
        await using var store = SqliteStore.Open(new SqliteStoreOptions { DatabasePath = path });
        await store.AuditLog.AppendAsync([new Audit.AuditEntry { Timestamp = TimeProvider.System.GetUtcNow(), Kind = Audit.AuditEventKind.ApprovalRequested, ActionId = "child", ToolName = "open" }]);
        Console.WriteLine(store.AuditKeys.CurrentKeyId);
        return 0;
    }

    /// <summary>
    /// <c>gated-call &lt;path&gt; &lt;agent&gt; &lt;tool&gt; &lt;daily call cap&gt;</c>: opens a gate with halts and a budget on
    /// the store, prints <see cref="Ready"/>, waits for a line on standard input, makes one call as the agent and prints
    /// <c>executed</c> or <c>denied &lt;code&gt;: &lt;reason&gt;</c>.
    /// </summary>
    private static async Task<int> GatedCallAsync(string path, string agent, string tool, int cap)
    {
        await using var gate = new ActionGateBuilder()
            .UsePolicy(Policy.ActionPolicy.AllowAll)
            .UseSqlite(path)
            .UseEnvironment(_ => null)
            .AddHalt()
            .AddBudget(o => o.LimitCalls(cap, BudgetPeriod.Day, tool))
            .Build();
        Console.WriteLine(Ready);
        await Console.In.ReadLineAsync();
        var outcome = await gate.ExecuteOutcomeAsync(new ActionRequest { ToolName = tool, AgentId = agent }, _ => new ValueTask<int>(1));
        Console.WriteLine(outcome.Rejection is ActionDeniedException denied ? $"denied {denied.DenialReason.Code}: {denied.Reasons[0]}" : "executed");
        return 0;
    }
}
