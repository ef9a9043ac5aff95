using System.Text.RegularExpressions;
using Countersign.Approvals;
using Countersign.Policy;
using Countersign.Redaction;

namespace Countersign.Tests.Policy;

public partial class PolicyLoaderTests
{
    [Fact]
    public void Yaml_policy_loads_every_field()
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.TestData("full.yaml"));

        AssertFullPolicy(policy);
    }

    [Fact]
    public void Json_policy_loads_every_field()
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.TestData("full.json"));

        AssertFullPolicy(policy);
    }

    private static void AssertFullPolicy(ActionPolicy policy)
    {
        Assert.Equal("full", policy.Name);
        Assert.Equal(PolicyEffect.Deny, policy.DefaultEffect);
        Assert.Equal(TimeSpan.FromSeconds(90), policy.DefaultTimeout);
        Assert.Equal(["password", "$.auth.token"], policy.RedactPaths);
        Assert.Equal(4, policy.Rules.Count);

        var big = policy.Rules[0];
        Assert.Equal(("big-refunds", "refund", "billing-*"), (big.Name, big.ToolPattern, big.AgentPattern));
        Assert.Equal((PolicyEffect.RequireApproval, RiskLevel.High, TimeSpan.FromSeconds(45), 2), (big.Effect, big.Risk, big.Timeout, big.Quorum));
        Assert.Equal(["finance", "audit"], big.ReviewerRoles);
        Assert.Equal(["card.number", "items[*].ssn"], big.RedactPaths);
        Assert.Collection(
            big.Conditions,
            c => Assert.Equal((100.5m, "amount"), (((AmountOverCondition)c).Threshold, ((AmountOverCondition)c).ArgumentPath)),
            c => Assert.Equal(("customer_id", "^prod-"), (((ArgumentMatchCondition)c).ArgumentPath, ((ArgumentMatchCondition)c).Pattern)),
            c => Assert.Equal(("currency", "^(USD|EUR)$"), (((ArgumentMatchCondition)c).ArgumentPath, ((ArgumentMatchCondition)c).Pattern)),
            c => Assert.IsType<AlwaysCondition>(c));

        Assert.Equal((PolicyEffect.Allow, RiskLevel.Low), (policy.Rules[1].Effect, policy.Rules[1].Risk));
        Assert.Equal(("rule[2]", "deletes are never automated"), (policy.Rules[2].Name, policy.Rules[2].DenyReason));
        Assert.True(policy.Rules[3].IsFallback);

        var evaluator = new PolicyEvaluator(policy);
        var held = evaluator.Evaluate(Calls.To("refund", """{"amount": 4000, "customer_id": "prod-1", "currency": "USD"}""", "billing-eu"));
        Assert.Equal(PolicyEffect.RequireApproval, held.Effect);
        Assert.Equal(["amount 4000 is over 100.5 and customer_id matches '^prod-' and currency matches '^(USD|EUR)$' (rule 'big-refunds')"], held.Reasons);
        Assert.Equal(["password", "$.auth.token", "card.number", "items[*].ssn"], held.RedactPaths);
        Assert.Equal(PolicyEffect.Allow, evaluator.Evaluate(Calls.To("refund", """{"amount": 4000}""", "support")).Effect);
        Assert.Equal(PolicyEffect.Deny, evaluator.Evaluate(Calls.To("delete_user")).Effect);
        Assert.Equal(RiskLevel.Critical, evaluator.Evaluate(Calls.To("anything")).Risk);
    }

    [Fact]
    public void ApproveKit_policy_format_loads_as_is()
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.PathOf("docs/policy-examples/approvekit.yaml"));
        var evaluator = new PolicyEvaluator(policy);

        var email = evaluator.Evaluate(Calls.To("send_email", """{"to": "ceo@example.com", "body": "secret"}"""));
        Assert.Equal((PolicyEffect.RequireApproval, RiskLevel.High, TimeSpan.FromSeconds(45)), (email.Effect, email.Risk, email.Timeout));
        Assert.Equal(["..body"], email.RedactPaths);
        var read = evaluator.Evaluate(Calls.To("read_record"));
        Assert.Equal((PolicyEffect.Allow, RiskLevel.Low), (read.Effect, read.Risk));
        var other = evaluator.Evaluate(Calls.To("drop_table"));
        Assert.Equal((PolicyEffect.RequireApproval, RiskLevel.Medium, TimeSpan.FromSeconds(60)), (other.Effect, other.Risk, other.Timeout));
    }

    [Theory]
    [InlineData("require_approval: true", PolicyEffect.RequireApproval)]
    [InlineData("require_approval: false", PolicyEffect.Allow)]
    [InlineData("auto_approve: true", PolicyEffect.Allow)]
    [InlineData("auto_approve: false", PolicyEffect.RequireApproval)]
    [InlineData("require_approval: false\n    auto_approve: true", PolicyEffect.Allow)]
    [InlineData("effect: require_approval\n    require_approval: true", PolicyEffect.RequireApproval)]
    [InlineData("effect: allow\n    auto_approve: true", PolicyEffect.Allow)]
    public void ApproveKit_booleans_map_to_effects(string fields, PolicyEffect expected)
    {
        var policy = PolicyLoader.LoadYaml($"rules:\n  - tool: t\n    {fields}\n");

        Assert.Equal(expected, policy.Rules[0].Effect);
    }

    [Fact]
    public void In_an_approvekit_file_a_bare_redaction_name_masks_that_field_at_any_depth()
    {
        var policy = PolicyLoader.LoadYaml("""
            redact_fields: [password, "$.token", card.number]
            rules:
              - tool: update_customer
                require_approval: true
                redact_fields: [ssn]
            """);
        var arguments = Calls.Json("""{"ssn": "1", "token": "t", "profile": {"ssn": "2", "token": "keep"}, "people": [{"ssn": "3", "password": "p"}]}""");

        var decision = new PolicyEvaluator(policy).Evaluate(new ActionRequest { ToolName = "update_customer", Arguments = arguments });

        Assert.Equal(["..password", "$.token", "card.number", "..ssn"], decision.RedactPaths);
        Assert.Equal(
            """{"people":[{"password":"***","ssn":"***"}],"profile":{"ssn":"***","token":"keep"},"ssn":"***","token":"***"}""",
            JsonRedactor.Redact(arguments, decision.RedactPaths));
    }

    [Fact]
    public void In_a_countersign_file_a_bare_name_is_the_top_level_field_and_dots_reach_any_depth()
    {
        var policy = PolicyLoader.LoadYaml("""
            rules:
              - tool: update_customer
                effect: require_approval
                redact_fields: [ssn, ..token]
            """);
        var arguments = Calls.Json("""{"ssn": "1", "profile": {"ssn": "2", "token": "t"}}""");

        var decision = new PolicyEvaluator(policy).Evaluate(new ActionRequest { ToolName = "update_customer", Arguments = arguments });

        Assert.Equal(["ssn", "..token"], decision.RedactPaths);
        Assert.Equal("""{"profile":{"ssn":"2","token":"***"},"ssn":"***"}""", JsonRedactor.Redact(arguments, decision.RedactPaths));
    }

    [Fact]
    public void A_value_masked_at_any_depth_is_not_quoted_in_reasons()
    {
        var policy = PolicyLoader.LoadYaml("""
            redact_fields: [..amount]
            rules:
              - name: big
                tool: pay
                amount_over: { arg: order.amount, threshold: 100 }
                effect: require_approval
            """);

        var decision = new PolicyEvaluator(policy).Evaluate(Calls.To("pay", """{"order": {"amount": 4000}}"""));

        Assert.Equal(["order.amount is over 100 (rule 'big')"], decision.Reasons);
    }

    [Fact]
    public void Durations_are_seconds_or_numbers_with_a_unit()
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.TestData("durations.yml"));

        Assert.Equal(TimeSpan.FromSeconds(300), policy.DefaultTimeout);
        Assert.Equal(
            [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromDays(1.5), TimeSpan.FromSeconds(2.5), null],
            policy.Rules.Select(r => r.Timeout));
        Assert.Equal(2, policy.Rules[6].Quorum);
    }

    [Fact]
    public void Policy_without_a_name_is_named_after_its_source()
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.TestData("empty-rules.json"));

        Assert.Equal(RepositoryFiles.TestData("empty-rules.json"), policy.Name);
        Assert.Equal(PolicyEffect.Allow, policy.DefaultEffect);
        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void Empty_mapping_is_the_safe_default_policy()
    {
        var policy = PolicyLoader.LoadYaml("{}");

        Assert.Equal(PolicyEffect.RequireApproval, policy.DefaultEffect);
        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void Yaml_quoted_and_plain_scalars_are_typed_like_yaml_does()
    {
        var policy = PolicyLoader.LoadYaml("rules:\n  - tool: \"123\"\n    effect: allow\n  - tool: 'true'\n    effect: allow\n");

        Assert.Equal(["123", "true"], policy.Rules.Select(r => r.ToolPattern));
    }

    [Fact]
    public void Yaml_anchors_and_aliases_share_settings_between_rules()
    {
        var policy = PolicyLoader.LoadYaml("""
            rules:
              - name: refunds
                tool: refund
                effect: require_approval
                reviewer_roles: &finance [finance, audit]
              - name: payouts
                tool: payout
                effect: require_approval
                reviewer_roles: *finance
            """);

        Assert.Equal(["finance", "audit"], policy.Rules[1].ReviewerRoles);
    }

    [Fact]
    public void File_with_an_unknown_extension_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => PolicyLoader.LoadFile("policy.toml"));

        Assert.Contains(".yaml, .yml or .json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_by_the_file_system()
    {
        Assert.Throws<FileNotFoundException>(() => PolicyLoader.LoadFile(Path.Combine(Path.GetTempPath(), "countersign-no-such-policy.yaml")));
    }

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "docs/policy-examples", "test/Countersign.Tests/Policy/TestData" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf(folder)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryFiles.Root, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_policy_file_loads(string relativePath)
    {
        var policy = PolicyLoader.LoadFile(RepositoryFiles.PathOf(relativePath));

        Assert.NotNull(new PolicyEvaluator(policy).Evaluate(Calls.To("anything")));
    }

    [Fact]
    public void Every_policy_example_in_the_policy_guide_loads()
    {
        var guide = File.ReadAllText(RepositoryFiles.PathOf("docs/policy.md"));
        var blocks = FencedPolicy().Matches(guide);

        Assert.True(blocks.Count >= 3, "docs/policy.md should show YAML and JSON policies");
        foreach (Match block in blocks)
        {
            var text = block.Groups["body"].Value;
            var policy = block.Groups["lang"].Value == "json" ? PolicyLoader.LoadJson(text, "docs/policy.md") : PolicyLoader.LoadYaml(text, "docs/policy.md");
            Assert.NotNull(policy);
        }
    }

    // Fenced blocks marked ```yaml or ```json hold complete policies; other examples use other info strings.
    [GeneratedRegex("^```(?<lang>yaml|json)\\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedPolicy();
}
