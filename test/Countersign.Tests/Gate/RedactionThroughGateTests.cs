using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Policy;
using Countersign.StoreConformance;
using Countersign.Tests.Fakes;

namespace Countersign.Tests.Gate;

public sealed class RedactionThroughGateTests
{
    private const string Secret = "4111-1111-1111-1111";

    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("charge", r => r.Always().RequireApproval().Redact("card.number", "notes"))
        .Build();

    private static ActionRequest Charge(string number) => new()
    {
        ToolName = "charge",
        Arguments = ActionArguments.From(new { amount = 10, card = new { number, holder = "A. Customer" }, notes = "call " + Secret }),
        RequestedBy = "billing-bot",
    };

    [Fact]
    public async Task Redacted_fields_reach_neither_the_audit_log_nor_the_approval_request_nor_the_logs()
    {
        var logs = new CapturingLoggerFactory();
        var audit = new InMemoryAuditLog();
        var store = new InMemoryApprovalStore();
        var channel = new RecordingChannel();
        var gate = new ActionGateBuilder()
            .UsePolicy(Policy)
            .UseAuditLog(audit)
            .UseApprovalStore(store)
            .UseLoggerFactory(logs)
            .UseEnvironment(_ => null)
            .AddChannel(channel)
            .Build();

        var call = gate.ExecuteAsync(Charge(Secret), _ => new ValueTask<string>("charged"));
        var request = await channel.NextAsync();
        await gate.Reviews.DecideAsync(request.Id, "alice", true, null, "test");
        await call;

        Assert.DoesNotContain(Secret, request.RedactedArgumentsJson, StringComparison.Ordinal);
        Assert.Contains("A. Customer", request.RedactedArgumentsJson, StringComparison.Ordinal);
        await foreach (var record in audit.ReadAsync())
        {
            Assert.DoesNotContain(Secret, AuditEntryText(record.Entry), StringComparison.Ordinal);
        }

        Assert.NotEmpty(logs.Messages);
        Assert.Contains(logs.Messages, m => m.Message.Contains("***", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void The_payload_hash_still_covers_redacted_fields()
    {
        var gate = new ActionGateBuilder().UsePolicy(Policy).UseEnvironment(_ => null).Build();

        var one = gate.PayloadHasher.Compute(Charge("4111-1111-1111-1111"));
        var other = gate.PayloadHasher.Compute(Charge("5500-0000-0000-0004"));

        Assert.NotEqual(one, other);
    }

    [Fact]
    public async Task Redacted_fields_in_results_are_masked_in_the_outcome_entry()
    {
        var policy = new PolicyBuilder().ForTool("lookup", r => r.Allow().Redact("ssn")).Build();
        var audit = new InMemoryAuditLog();
        var gate = new ActionGateBuilder().UsePolicy(policy).UseAuditLog(audit).UseEnvironment(_ => null).Build();

        await gate.ExecuteAsync(ActionRequest.Create("lookup", new { id = 1 }), _ => new ValueTask<object>(new { name = "A", ssn = "078-05-1120" }));

        await foreach (var record in audit.ReadAsync())
        {
            Assert.DoesNotContain("078-05-1120", AuditEntryText(record.Entry), StringComparison.Ordinal);
        }
    }

    private static string AuditEntryText(AuditEntry entry) =>
        string.Join('|', entry.ArgumentsJson, entry.ResultJson, entry.Comment, entry.Error, string.Join(',', entry.Reasons));
}
