using Countersign.Approvals;
using Countersign.Policy;

namespace Countersign.Benchmarks;

/// <summary>
/// The 100-rule policy the evaluation benchmark measures: exact names, globs, agent patterns, amount and regex
/// conditions, deny globs and a fallback. The allocation tests compile this same file, so they check what is measured.
/// </summary>
internal static class HundredRulePolicy
{
    public static ActionPolicy Build()
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

        return builder
            .ForTool("delete_*", r => r.Named("no-deletes").Deny("deletes are never automated"))
            .ForTool("drop_*", r => r.Named("no-drops").Deny("drops are never automated"))
            .ForTool("list_*", r => r.Named("lists").Allow())
            .ForTool("read_record_*", r => r.Named("reads-big").WhenAmountOver("amount", 1_000_000).RequireApproval())
            .ForAnyTool(r => r.Named("fallback").RequireApproval())
            .Build();
    }
}
