using Countersign;
using Countersign.Approvals;
using Countersign.Channels;
using Countersign.Policy;
using Countersign.Sqlite;

// Refunds over 100 need a human; smaller ones run straight away. Both are audited.
var policy = new PolicyBuilder()
    .ForTool("refund", rule => rule.Named("big-refunds").WhenAmountOver("amount", 100).RequireApproval().Risk(RiskLevel.High))
    .ForTool("refund", rule => rule.Named("small-refunds").Allow())
    .Build();

var databasePath = args.Length > 0 ? args[0] : "countersign.db";
await using var gate = new ActionGateBuilder()
    .UsePolicy(policy)
    .UseSqlite(databasePath)
    .AddChannel(new ConsoleApprovalChannel())
    .Configure(options => options.ReviewTimeout = TimeSpan.FromMinutes(2))
    .Build();

var refund = gate.Guard(
    "refund",
    (string orderId, decimal amount) => $"Refunded {amount:0.00} USD on {orderId}.",
    options: new GuardOptions { RequestedBy = "refund-bot", AgentId = "refund-bot", Description = "Refund a customer's order" });

Console.WriteLine($"Countersign quickstart — store: {Path.GetFullPath(databasePath)}, mode: {gate.EnforcementMode}");
Console.WriteLine();
Console.WriteLine("Agent: refunding 25.00 on ord_1001 ...");
Console.WriteLine(refund("ord_1001", 25m));
Console.WriteLine();
Console.WriteLine("Agent: refunding 4000.00 on ord_1002 ...");
try
{
    Console.WriteLine(refund("ord_1002", 4000m));
}
catch (ActionDeniedException denied)
{
    Console.WriteLine(denied.Message);
}

var verification = await gate.AuditLog.VerifyAsync();
Console.WriteLine();
Console.WriteLine(verification.IsValid
    ? $"Audit log: {verification.EntriesChecked} entries, hash chain verified."
    : $"Audit log BROKEN at entry {verification.FirstBrokenSequence}: {verification.Problem}");
return verification.IsValid ? 0 : 1;
