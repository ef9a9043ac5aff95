using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Tests.Policy;

/// <summary>Policies shared by several tests; the benchmark builds the same shape.</summary>
internal static class SamplePolicies
{
    /// <summary>100 rules: exact names, globs, agent patterns and conditions, with a fallback.</summary>
    public static ActionPolicy HundredRules()
    {
        var builder = new PolicyBuilder().DefaultTimeout(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 40; i++)
        {
            var n = i;
            builder.ForTool($"read_record_{n}", r => r.Named($"read-{n}").ForAgent("reader-*").Allow().Risk(RiskLevel.Low));
        }

        for (var i = 0; i < 20; i++)
        {
            var n = i;
            builder.ForTool($"refund_{n}", r => r.Named($"refund-big-{n}").WhenAmountOver("amount", 100).RequireApproval().Risk(RiskLevel.High).Redact("card.number"));
        }

        for (var i = 0; i < 20; i++)
        {
            var n = i;
            builder.ForTool($"update_customer_{n}", r => r.Named($"update-prod-{n}").WhenArgumentMatches("customer_id", "^prod-").RequireApproval());
        }

        for (var i = 0; i < 15; i++)
        {
            var n = i;
            builder.ForTool($"tool_{n}_*", r => r.Named($"glob-{n}").ForAgent("ops-*").Allow());
        }

        builder
            .ForTool("delete_*", r => r.Named("no-deletes").Deny("deletes are never automated"))
            .ForTool("drop_*", r => r.Named("no-drops").Deny("drops are never automated"))
            .ForTool("list_*", r => r.Named("lists").Allow())
            .ForTool("read_record_*", r => r.Named("reads-big").WhenAmountOver("amount", 1_000_000).RequireApproval())
            .ForAnyTool(r => r.Named("fallback").RequireApproval());
        return builder.Build();
    }
}
