using Countersign;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Sqlite;

await using var gate = new ActionGateBuilder()
    .UsePolicy(new PolicyBuilder()
        .ForTool("refund", rule => rule.WhenAmountOver("amount", 100).RequireApproval())
        .ForTool("refund", rule => rule.Allow())
        .Build())
    .UseSqlite("countersign.db")
    .AddChannel(new ConsoleApprovalChannel())
    .Configure(options => options.ReviewTimeout = TimeSpan.FromMinutes(2))
    .Build();

var refund = gate.Guard(
    "refund",
    (string orderId, decimal amount) => $"Refunded {amount} on {orderId}",
    options: new GuardOptions { RequestedBy = "refund-bot" });

Console.WriteLine(refund("ord_1001", 25m));       // small refund: allowed and audited
try
{
    Console.WriteLine(refund("ord_1002", 4000m)); // large refund: waits for a reviewer
}
catch (ActionDeniedException denied)
{
    Console.WriteLine($"Not refunded: {denied.Message}");
}
