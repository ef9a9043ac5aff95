using Countersign.Governance;
using Countersign.Policy;
using static Countersign.Tests.Governance.GovernanceHarness;

namespace Countersign.Tests.Governance;

public sealed class ScopeStageTests
{
    [Fact]
    public async Task Once_an_agent_has_a_scope_every_other_tool_is_denied_naming_the_scope()
    {
        await using var harness = new GovernanceHarness(b => b.AddScope(o => o.Allow("support", "lookup_order", "refund_*")));

        var inScope = await harness.RunAsync(Call("refund_small", agent: "support"));
        var outside = await harness.RunAsync(Call("delete_user", agent: "support"));
        var unscoped = await harness.RunAsync(Call("delete_user", agent: "ops"));

        Assert.Equal(GateOutcomeKind.Executed, inScope.Kind);
        Assert.Equal("out_of_scope", DenialCode(outside));
        Assert.Equal("'delete_user' is outside the scope of agent 'support' (scope: lookup_order, refund_*)", Assert.IsType<ActionDeniedException>(outside.Rejection).Reasons[0]);
        Assert.Equal(GateOutcomeKind.Executed, unscoped.Kind);
    }

    [Fact]
    public async Task Denying_unscoped_agents_denies_calls_naming_no_agent_too()
    {
        OnOutOfScopeArguments? seen = null;
        await using var harness = new GovernanceHarness(b => b.AddScope(o =>
        {
            o.DenyUnscopedAgents = true;
            o.OnOutOfScope = a => { seen = a; return ValueTask.CompletedTask; };
        }));

        Assert.Equal("out_of_scope", DenialCode(await harness.RunAsync(Call("pay", agent: null))));
        Assert.Equal("out_of_scope", DenialCode(await harness.RunAsync(Call("pay", agent: "ops"))));
        Assert.Null(seen!.Scope);
    }

    [Fact]
    public async Task IsInScope_answers_for_a_model_deciding_which_tools_to_show()
    {
        await using var harness = new GovernanceHarness(b => b.AddScope(o => o.Allow("support", "lookup_*", "ticket_?")));

        Assert.True(harness.Governance.IsInScope("support", "lookup_order"));
        Assert.True(harness.Governance.IsInScope("support", "ticket_1"));
        Assert.False(harness.Governance.IsInScope("support", "ticket_12"));
        Assert.False(harness.Governance.IsInScope("support", "Lookup_order"));
        Assert.True(harness.Governance.IsInScope("other", "anything"));
    }

    [Fact]
    public async Task Without_a_scope_configured_no_scope_stage_runs()
    {
        await using var harness = new GovernanceHarness(_ => { });

        Assert.DoesNotContain(harness.Gate.Stages, s => s.Name == "scope");
        Assert.True(harness.Governance.IsInScope("anyone", "anything"));
    }

    [Fact]
    public async Task A_policy_file_scopes_section_turns_the_scope_stage_on()
    {
        var policy = PolicyLoader.LoadYaml("""
            default_effect: allow
            scopes:
              support: [lookup_order, "refund_*"]
              reader:
                - read_*
            """, "test.yaml");
        await using var harness = new GovernanceHarness(_ => { }, policy);

        Assert.Equal(["lookup_order", "refund_*"], policy.Scopes["support"]);
        Assert.Equal("out_of_scope", DenialCode(await harness.RunAsync(Call("write_file", agent: "reader"))));
        Assert.Equal(GateOutcomeKind.Executed, (await harness.RunAsync(Call("read_file", agent: "reader"))).Kind);
    }

    [Fact]
    public async Task Code_scopes_add_to_the_policy_file_scopes()
    {
        var policy = PolicyLoader.LoadYaml("default_effect: allow\nscopes:\n  support: [lookup_order]\n", "test.yaml");
        await using var harness = new GovernanceHarness(b => b.AddScope(o => o.Allow("support", "refund")), policy);

        Assert.True(harness.Governance.IsInScope("support", "lookup_order"));
        Assert.True(harness.Governance.IsInScope("support", "refund"));
        Assert.False(harness.Governance.IsInScope("support", "delete"));
    }

    [Theory]
    [InlineData("scopes: [a, b]\n", 1, "scopes", "must be a mapping")]
    [InlineData("scopes:\n  support: lookup\n", 2, "scopes.support", "must be a list of strings")]
    [InlineData("scopes:\n  support: [lookup, 3]\n", 2, "scopes.support", "one item is '3'")]
    [InlineData("scopes:\n  support: [lookup]\n  support: [refund]\n", 3, "scopes.support", "appears twice")]
    [InlineData("scopes:\n  support: [\"\"]\n", 2, "scopes.support", "is not a tool name or glob")]
    [InlineData("scopes:\n  \"\": [lookup]\n", 2, "scopes.", "non-empty name")]
    public void A_malformed_scopes_section_is_reported_with_its_line(string yaml, int line, string field, string problem)
    {
        var error = Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadYaml("default_effect: allow\n" + yaml, "bad.yaml"));

        var first = error.Errors[0];
        Assert.Equal(("bad.yaml", line + 1, field), (first.SourceName, first.Line, first.Field));
        Assert.Contains(problem, first.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scopes_section_in_json_is_read_like_yaml()
    {
        var policy = PolicyLoader.LoadJson("""{"default_effect": "allow", "scopes": {"support": ["lookup_order"]}}""", "test.json");

        Assert.Equal(["lookup_order"], policy.Scopes["support"]);
    }

    [Fact]
    public void An_unsafe_tool_in_a_code_scope_fails_the_build_with_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new ActionGateBuilder()
            .UseEnvironment(_ => null)
            .AddScope(o => o.Allow("support", "ok", "bad\u202E", " "))
            .Build());

        Assert.Contains("bad\\u202E", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Message.Split("must be a non-empty name or glob").Length - 1);
    }
}
