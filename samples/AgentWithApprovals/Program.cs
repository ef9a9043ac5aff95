using AgentWithApprovals;
using Countersign;
using Countersign.AI;
using Countersign.Approvals;
using Countersign.Channels;
using Countersign.Governance;
using Countersign.Policy;
using Microsoft.Extensions.AI;

// Lookups run; refunds over 100 need a human; deleting accounts is out of the refund agent's scope.
var policy = new PolicyBuilder()
    .ForTool("lookup_order", rule => rule.Allow())
    .ForTool("refund", rule => rule.WhenAmountOver("amount", 100).RequireApproval().Risk(RiskLevel.High))
    .ForTool("refund", rule => rule.Allow())
    .Build();

var interactive = !Console.IsInputRedirected;
ActionGate? gate = null;
var builder = new ActionGateBuilder()
    .UsePolicy(policy)
    .AddScope(scope => scope.Allow("refund-agent", "lookup_order", "refund"))
    .AddBudget(budget => budget.LimitTokens(100_000, BudgetPeriod.Day).LimitUsd(5m, BudgetPeriod.Day))
    .Configure(options => options.ReviewTimeout = TimeSpan.FromMinutes(2));
builder = interactive
    ? builder.AddChannel(new ConsoleApprovalChannel())
    : builder.OnApprovalRequested(async args =>
    {
        // Without a terminal, a scripted reviewer answers, so `dotnet run < /dev/null` shows the whole flow.
        Console.WriteLine($"[reviewer] alice reviews {args.Approval.ToolName} ({args.Approval.Id}) and denies it");
        await gate!.Reviews.DenyAsync(args.Approval.Id, "alice", "sample", "Refunds over 100 go through the billing team.");
    });
gate = builder.Build();
await using var disposeGate = gate;

AIFunction[] tools =
[
    AIFunctionFactory.Create((string orderId) => $"{orderId}: delivered, paid 4000.00 USD", "lookup_order", "Looks up an order."),
    AIFunctionFactory.Create((string orderId, decimal amount) => $"refunded {amount} USD on {orderId}", "refund", "Refunds an order."),
    AIFunctionFactory.Create((string accountId) => $"deleted {accountId}", "delete_account", "Deletes a customer account."),
];

// The lines that guard the agent: UseCountersign before UseFunctionInvocation.
using var chat = new ScriptedRefundModel()
    .AsBuilder()
    .UseCountersign(gate)
    .UseFunctionInvocation(configure: f => f.AllowConcurrentInvocation = true)
    .Build();
var options = new ChatOptions { Tools = [.. tools] }.WithCountersignAgent("refund-agent", "conv-1", "customer:42");

var response = await chat.GetResponseAsync("Refund order ord_1002, the customer is unhappy.", options);
Console.WriteLine($"[agent] {response.Text}");

var tokens = await gate.Governance.GetBudgetUsageAsync($"refund-agent|day:{TimeProvider.System.GetUtcNow():yyyy-MM-dd}|tokens|*");
Console.WriteLine($"[budget] tokens used today by refund-agent: {tokens?.Used ?? 0}");
var verification = await gate.AuditLog.VerifyAsync();
Console.WriteLine($"[audit] {verification.EntriesChecked} entries, chain {(verification.IsValid ? "verified" : "BROKEN")}");
return verification.IsValid ? 0 : 1;
