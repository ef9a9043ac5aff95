using System.Text.Json;
using Countersign.Approvals;
using Countersign.Audit;
using Countersign.Evidence;
using Countersign.Governance;
using Countersign.Policy;
using Countersign.Tests.Governance;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Evidence;

public sealed class EvidenceReportTests
{
    private static readonly ActionPolicy Policy = new PolicyBuilder()
        .ForTool("wire", r => r.RequireApproval())
        .ForTool("drop_table", r => r.Deny())
        .ForTool("*", r => r.Allow())
        .Build();

    /// <summary>
    /// A scripted day: two allowed calls, a policy denial, a wire approved by alice (finance) after 4 minutes and run,
    /// a wire denied by bob, a halt and a resume, a budget denial, a contract violation, and one outcome written
    /// straight into the log with no verdict before it.
    /// </summary>
    private static async Task<(GovernanceHarness Harness, DateTimeOffset Start)> ScriptAsync()
    {
        var harness = new GovernanceHarness(
            b => b.AddHalt()
                .AddBudget(o => o.LimitCalls(1, BudgetPeriod.Day, "search"))
                .AddContracts(o => o.Add(new ToolContract { Tool = "lookup", Postconditions = [new ContractCondition("has_result", c => c.Result is not null)] }))
                .Configure(o => o.OnReview = OnReviewBehavior.FailClosed),
            Policy);
        var start = harness.Clock.GetUtcNow();
        await harness.RunAsync(Call("search"));
        await harness.RunAsync(Call("lookup", agent: "agent-2"));
        await harness.RunAsync(Call("drop_table"));

        var wire = Call("wire", args: new { amount = 900 }) with { IdempotencyKey = "wire-1" };
        var pending = Assert.IsType<ApprovalPendingException>((await harness.RunAsync(wire)).Rejection);
        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        await harness.Gate.Reviews.ApproveAsync(pending.ApprovalId, "alice", "web", "checked the invoice", ["finance"]);
        await harness.RunAsync(wire);

        var second = Assert.IsType<ApprovalPendingException>((await harness.RunAsync(Call("wire", args: new { amount = 5 }) with { IdempotencyKey = "wire-2" })).Rejection);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.Gate.Reviews.DenyAsync(second.ApprovalId, "bob", "console", "not | this <b>one</b>", ["ops"]);

        await harness.Governance.HaltAsync("agent-1", "carol", "incident 9");
        await harness.Governance.ResumeAsync("agent-1", "carol", "resolved");
        await harness.RunAsync(Call("search", args: new { n = 2 }));
        await harness.Gate.ExecuteOutcomeAsync(Call("lookup", args: new { n = 3 }), _ => new ValueTask<object?>((object?)null));

        await harness.Audit.AppendAsync([new AuditEntry { Timestamp = harness.Clock.GetUtcNow(), Kind = AuditEventKind.Outcome, ActionId = "act_rogue", ToolName = "rogue", Executed = true, Verdict = "allow" }]);
        return (harness, start);
    }

    [Fact]
    public async Task A_report_over_a_scripted_history_has_every_field_right()
    {
        var (harness, start) = await ScriptAsync();
        await using var _ = harness;

        var report = await EvidenceReportBuilder.BuildAsync(harness.Audit, start, start.AddDays(1), harness.Clock);

        Assert.Equal(EvidenceReport.EvidenceStatement, report.Statement);
        Assert.Equal((start, start.AddDays(1), harness.Clock.GetUtcNow()), (report.From, report.To, report.GeneratedAt));
        Assert.Equal(new Dictionary<string, long>
        {
            ["agent_halted"] = 1, ["agent_resumed"] = 1, ["approval_requested"] = 2, ["authorized"] = 4,
            ["contract_violated"] = 1, ["outcome"] = 7, ["reviewed"] = 2,
        }, report.ByEvent);
        Assert.Equal(18, report.Entries);
        Assert.Equal(new Dictionary<string, long> { ["allow"] = 4, ["deny"] = 1, ["none"] = 1, ["require_approval"] = 1 }, report.ByVerdict);
        Assert.Equal(new Dictionary<string, long> { ["drop_table"] = 1, ["lookup"] = 2, ["rogue"] = 1, ["search"] = 2, ["wire"] = 1 }, report.ByTool);
        Assert.Equal(new Dictionary<string, long> { ["-"] = 1, ["agent-1"] = 5, ["agent-2"] = 1 }, report.ByAgent);

        Assert.Equal(2, report.Approvals.Count);
        var granted = report.Approvals[0];
        Assert.Equal(("wire", "agent-1", "requester", "granted", TimeSpan.FromMinutes(4)), (granted.Tool, granted.AgentId, granted.RequestedBy, granted.Outcome, granted.Latency));
        var alice = Assert.Single(granted.Reviews);
        Assert.Equal(("alice", true, "checked the invoice", "web"), (alice.Reviewer, alice.Approved, alice.Comment, alice.Source));
        Assert.Equal(["finance"], alice.Roles);
        var denied = report.Approvals[1];
        Assert.Equal(("denied", TimeSpan.FromMinutes(1)), (denied.Outcome, denied.Latency));
        Assert.Equal(("bob", false, "not | this <b>one</b>"), (denied.Reviews[0].Reviewer, denied.Reviews[0].Approved, denied.Reviews[0].Comment));
        Assert.Equal(["ops"], denied.Reviews[0].Roles);

        Assert.Equal(["policy", "budget_exceeded"], report.Denials.Select(d => d.Code));
        Assert.Equal("drop_table", report.Denials[0].Tool);
        Assert.Equal(["agent_halted", "agent_resumed"], report.Halts.Select(h => h.Event));
        Assert.Equal(("agent-1", "carol", "incident 9"), (report.Halts[0].AgentId, report.Halts[0].By, report.Halts[0].Reasons[0]));
        Assert.Equal("budget_exceeded", Assert.Single(report.BudgetOverruns).Code);
        Assert.Equal("lookup", Assert.Single(report.ContractViolations).Tool);

        Assert.True(report.Chain.IsValid);
        Assert.Equal(18, report.Chain.EntriesChecked);
        Assert.Equal((5, 4), (report.CallsRun, report.CallsRunWithVerdictFirst));
        Assert.Equal(80, report.VerdictBeforeRunPercent);
        Assert.Equal(["act_rogue"], report.CallsRunWithoutVerdict);
    }

    [Fact]
    public async Task Entries_outside_the_range_are_left_out()
    {
        var (harness, start) = await ScriptAsync();
        await using var _ = harness;

        var report = await EvidenceReportBuilder.BuildAsync(harness.Audit, start.AddMinutes(2), start.AddMinutes(4).AddTicks(1), harness.Clock);

        Assert.Equal(new Dictionary<string, long> { ["approval_requested"] = 1, ["authorized"] = 1, ["outcome"] = 1, ["reviewed"] = 1 }, report.ByEvent);
        Assert.Equal("pending", Assert.Single(report.Approvals).Outcome);
        Assert.Equal((1, 1), (report.CallsRun, report.CallsRunWithVerdictFirst));
    }

    [Fact]
    public async Task The_json_form_names_every_section_in_snake_case_and_keeps_the_statement()
    {
        var (harness, start) = await ScriptAsync();
        await using var _ = harness;
        var report = await EvidenceReportBuilder.BuildAsync(harness.Audit, start, start.AddDays(1), harness.Clock);

        using var json = JsonDocument.Parse(report.ToJson());

        var root = json.RootElement;
        Assert.Equal(EvidenceReport.EvidenceStatement, root.GetProperty("statement").GetString());
        Assert.Equal(80, root.GetProperty("verdict_before_run_percent").GetDouble());
        Assert.Equal("act_rogue", root.GetProperty("calls_run_without_verdict")[0].GetString());
        Assert.Equal(7, root.GetProperty("by_event").GetProperty("outcome").GetInt64());
        Assert.Equal("finance", root.GetProperty("approvals")[0].GetProperty("reviews")[0].GetProperty("roles")[0].GetString());
        Assert.True(root.GetProperty("chain").GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task The_markdown_form_states_it_is_evidence_and_neutralises_reviewer_text()
    {
        var (harness, start) = await ScriptAsync();
        await using var _ = harness;
        var report = await EvidenceReportBuilder.BuildAsync(harness.Audit, start, start.AddDays(1), harness.Clock);

        var markdown = report.ToMarkdown();

        Assert.Contains("> " + EvidenceReport.EvidenceStatement, markdown, StringComparison.Ordinal);
        Assert.Contains("**verified**, 18 entries checked", markdown, StringComparison.Ordinal);
        Assert.Contains("(80 %)", markdown, StringComparison.Ordinal);
        Assert.Contains("ran without a recorded verdict: `act_rogue`", markdown, StringComparison.Ordinal);
        Assert.Contains("bob [ops] denied: \"not \\| this &lt;b&gt;one&lt;/b&gt;\"", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_log_is_reported_broken()
    {
        var audit = new TamperedLog();
        var report = await EvidenceReportBuilder.BuildAsync(audit, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1));

        Assert.False(report.Chain.IsValid);
        Assert.Contains("**BROKEN** at entry 3", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EvidenceReportBuilder.BuildAsync(new InMemoryAuditLog(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
    }

    private sealed class TamperedLog : IAuditLog
    {
        public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield break;
        }

        public ValueTask<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(AuditVerificationResult.Broken(3, 3, "MAC mismatch"));
    }
}
