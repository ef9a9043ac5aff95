using Countersign.Policy;

namespace Countersign.Tests.Policy;

public class PolicyLoadErrorTests
{
    private static PolicyLoadException Yaml(string text) =>
        Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadYaml(text, "refund.yaml"));

    private static PolicyLoadException Json(string text) =>
        Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadJson(text, "refund.json"));

    private static void AssertError(PolicyLoadException error, int line, string? rule, string? field, string problem)
    {
        var first = error.Errors[0];
        Assert.Equal(("refund." + (error.SourceName.EndsWith("json", StringComparison.Ordinal) ? "json" : "yaml"), line, rule, field), (first.SourceName, first.Line, first.Rule, first.Field));
        Assert.Contains(problem, first.Problem, StringComparison.Ordinal);
        Assert.StartsWith(first.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal((first.SourceName, first.Line, first.Rule, first.Field, first.Problem), (error.SourceName, error.Line, error.Rule, error.Field, error.Problem));
    }

    [Fact]
    public void Message_names_file_line_rule_and_field()
    {
        var error = Yaml("""
            default_timeout: 60
            rules:
              - name: big-refunds
                tool: refund
                amount_over: { arg: amount, threshold: 100 }
                effect: require_approval
                quorum: two
            """);

        Assert.Equal("refund.yaml(7): rule 'big-refunds' field 'quorum': must be an integer ≥ 1, got 'two'", error.Message);
        AssertError(error, 7, "big-refunds", "quorum", "must be an integer ≥ 1, got 'two'");
    }

    [Fact]
    public void Bad_yaml_syntax_is_reported_with_its_line()
    {
        var error = Yaml("""
            rules:
              - tool: refund
                effect: [allow
              - tool: other
            """);

        AssertError(error, 3, null, null, "invalid YAML");
    }

    [Fact]
    public void Bad_yaml_indentation_is_reported_with_its_line()
    {
        var error = Yaml("""
            rules:
              - tool: refund
                effect: allow
               risk_level: low
            """);

        AssertError(error, 4, null, null, "invalid YAML");
    }

    [Fact]
    public void Yaml_tab_indentation_is_reported_with_its_line()
    {
        var error = Yaml("rules:\n  - tool: refund\n\teffect: allow\n");

        AssertError(error, 3, null, null, "invalid YAML");
    }

    [Fact]
    public void Bad_json_syntax_is_reported_with_its_line()
    {
        var error = Json("""
            {
              "rules": [
                { "tool": "refund", "effect": "allow" },
                { "tool": "other" "effect": "allow" }
              ]
            }
            """);

        AssertError(error, 4, null, null, "invalid JSON");
    }

    [Fact]
    public void Unknown_field_in_a_rule_is_an_error_with_a_suggestion()
    {
        var error = Yaml("""
            rules:
              - name: big-refunds
                tool: refund
                effect: require_approval
                quorom: 2
            """);

        AssertError(error, 5, "big-refunds", "quorom", "unknown field (did you mean 'quorum'?)");
    }

    [Fact]
    public void Unknown_top_level_field_is_an_error()
    {
        var error = Yaml("""
            default_efect: deny
            rules: []
            """);

        AssertError(error, 1, null, "default_efect", "did you mean 'default_effect'?");
    }

    [Fact]
    public void Unknown_field_far_from_any_known_one_lists_the_fields()
    {
        var error = Yaml("""
            rules:
              - tool: refund
                effect: allow
                colour: blue
            """);

        AssertError(error, 4, "rule[0]", "colour", "unknown field; the fields are name, tool, agent");
    }

    [Fact]
    public void Unknown_field_in_amount_over_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: refund
                amount_over: { arg: amount, treshold: 100 }
                effect: require_approval
            """);

        AssertError(error, 4, "r", "amount_over.treshold", "did you mean 'threshold'?");
    }

    [Fact]
    public void Value_of_the_wrong_type_is_an_error()
    {
        var error = Json("""
            {
              "rules": [
                { "name": "r", "tool": "refund", "effect": "require_approval",
                  "reviewer_roles": "finance" }
              ]
            }
            """);

        AssertError(error, 4, "r", "reviewer_roles", "must be a list of strings, got 'finance'");
    }

    [Fact]
    public void Number_where_a_string_is_expected_is_an_error()
    {
        var error = Json("""{ "rules": [ { "tool": 42, "effect": "allow" } ] }""");

        AssertError(error, 1, "rule[0]", "tool", "must be a string, got '42'");
    }

    [Fact]
    public void Negative_threshold_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: refunds
                tool: refund
                amount_over: { arg: amount, threshold: -5 }
                effect: require_approval
            """);

        AssertError(error, 4, "refunds", "amount_over", "threshold must be 0 or more, got -5");
    }

    [Fact]
    public void Non_numeric_threshold_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: refunds
                tool: refund
                amount_over:
                  arg: amount
                  threshold: lots
                effect: require_approval
            """);

        AssertError(error, 6, "refunds", "amount_over", "threshold must be a number, got 'lots'");
    }

    [Fact]
    public void Amount_over_without_threshold_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: refunds
                tool: refund
                amount_over: { arg: amount }
                effect: require_approval
            """);

        AssertError(error, 4, "refunds", "amount_over", "missing 'threshold'");
    }

    [Fact]
    public void Invalid_regex_is_an_error_at_its_argument()
    {
        var error = Yaml("""
            rules:
              - name: prod
                tool: update
                match_args:
                  region: "^eu-"
                  customer_id: "([a-z"
                effect: require_approval
            """);

        AssertError(error, 6, "prod", "match_args", "the pattern for 'customer_id' is not a valid regular expression");
    }

    [Fact]
    public void Quorum_zero_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: big
                tool: refund
                effect: require_approval
                quorum: 0
            """);

        AssertError(error, 5, "big", "quorum", "must be an integer ≥ 1, got 0");
    }

    [Fact]
    public void Fractional_quorum_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: big
                tool: refund
                effect: require_approval
                quorum: 1.5
            """);

        AssertError(error, 5, "big", "quorum", "must be an integer ≥ 1, got '1.5'");
    }

    [Fact]
    public void Unknown_effect_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: maybe
                tool: refund
                effect: perhaps
            """);

        AssertError(error, 4, "maybe", "effect", "must be allow, require_approval or deny, got 'perhaps'");
        Assert.Single(error.Errors);
    }

    [Fact]
    public void Unknown_default_effect_is_an_error()
    {
        var error = Yaml("default_effect: allow_all\n");

        AssertError(error, 1, null, "default_effect", "must be allow, require_approval or deny, got 'allow_all'");
    }

    [Fact]
    public void Missing_effect_is_an_error_at_the_rule()
    {
        var error = Yaml("""
            rules:
              - tool: a
                effect: allow
              - name: nothing
                tool: refund
            """);

        AssertError(error, 4, "nothing", "effect", "missing: say allow, require_approval or deny");
    }

    [Fact]
    public void Missing_tool_is_an_error_at_the_rule()
    {
        var error = Yaml("""
            rules:
              - name: toolless
                effect: allow
            """);

        AssertError(error, 2, "toolless", "tool", "missing: every rule needs a tool");
    }

    [Fact]
    public void Empty_tool_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: blank
                tool: ""
                effect: allow
            """);

        AssertError(error, 3, "blank", "tool", "must not be empty");
    }

    [Fact]
    public void Duplicate_rule_names_are_an_error_at_the_second()
    {
        var error = Yaml("""
            rules:
              - name: refunds
                tool: refund
                effect: allow
              - name: refunds
                tool: refund_all
                effect: deny
            """);

        AssertError(error, 5, "refunds", "name", "the name 'refunds' is already used by rule[0]");
        Assert.Equal(1, error.Errors[0].RuleIndex);
    }

    [Fact]
    public void Duplicate_key_in_yaml_is_an_error()
    {
        var error = Yaml("""
            rules:
              - tool: refund
                effect: allow
                effect: deny
            """);

        AssertError(error, 4, "rule[0]", "effect", "appears twice (first on line 3)");
    }

    [Fact]
    public void Duplicate_key_in_json_is_an_error()
    {
        var error = Json("""
            {
              "rules": [
                { "name": "r", "tool": "refund",
                  "effect": "allow",
                  "effect": "deny" }
              ]
            }
            """);

        AssertError(error, 5, "r", "effect", "appears twice (first on line 4)");
    }

    [Fact]
    public void Always_false_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                always: false
                effect: deny
            """);

        AssertError(error, 4, "r", "always", "can only be true");
    }

    [Fact]
    public void Effect_that_contradicts_require_approval_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                effect: deny
                require_approval: true
            """);

        AssertError(error, 4, "r", "effect", "says deny but require_approval says require_approval");
    }

    [Fact]
    public void Require_approval_and_auto_approve_both_true_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                require_approval: true
                auto_approve: true
            """);

        AssertError(error, 4, "r", "auto_approve", "conflicts with require_approval: true");
    }

    [Fact]
    public void Non_boolean_require_approval_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                require_approval: "yes"
            """);

        AssertError(error, 4, "r", "require_approval", "must be true or false, got 'yes'");
        Assert.Single(error.Errors);
    }

    [Fact]
    public void Malformed_redaction_path_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: mail
                tool: send_email
                effect: allow
                redact_fields: [body, "items[x].ssn"]
            """);

        AssertError(error, 5, "mail", "redact_fields", "'items[x].ssn' is not a valid path");
    }

    [Fact]
    public void Malformed_duration_is_an_error()
    {
        var error = Yaml("default_timeout: soon\n");

        AssertError(error, 1, null, "default_timeout", "must be a number of seconds or a duration such as '90s', '5m' or '1h', got 'soon'");
    }

    [Fact]
    public void Zero_timeout_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                effect: require_approval
                timeout: 0s
            """);

        AssertError(error, 5, "r", "timeout", "must be more than 0 seconds");
    }

    [Fact]
    public void Unknown_risk_level_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                effect: allow
                risk_level: severe
            """);

        AssertError(error, 5, "r", "risk_level", "must be low, medium, high or critical, got 'severe'");
    }

    [Fact]
    public void Approval_setting_on_a_deny_rule_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                effect: deny
                quorum: 2
            """);

        AssertError(error, 5, "r", "quorum", "only applies to require_approval rules, but the effect is deny");
    }

    [Fact]
    public void Reason_on_an_allow_rule_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: t
                effect: allow
                reason: because
            """);

        AssertError(error, 5, "r", "reason", "only applies to deny rules, but the effect is allow");
    }

    [Fact]
    public void Rule_that_is_not_a_mapping_is_an_error()
    {
        var error = Yaml("""
            rules:
              - tool: a
                effect: allow
              - just a string
            """);

        AssertError(error, 4, "rule[1]", null, "a rule must be a mapping");
        Assert.Single(error.Errors);
    }

    [Fact]
    public void Rules_that_are_not_a_list_are_an_error()
    {
        var error = Yaml("""
            rules:
              tool: a
            """);

        AssertError(error, 2, null, "rules", "must be a list of rules, got a mapping");
    }

    [Fact]
    public void Root_that_is_not_a_mapping_is_an_error()
    {
        var error = Json("[1, 2]");

        AssertError(error, 1, null, null, "the policy must be a mapping");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# just a comment\n")]
    public void Empty_yaml_is_an_error(string text)
    {
        AssertError(Yaml(text), 1, null, null, "the policy is empty");
    }

    [Fact]
    public void Empty_json_is_an_error()
    {
        AssertError(Json("  \n"), 1, null, null, "the policy is empty");
    }

    [Fact]
    public void Several_yaml_documents_are_an_error()
    {
        var error = Yaml("""
            default_effect: deny
            ---
            default_effect: allow
            """);

        AssertError(error, 3, null, null, "one YAML document");
    }

    [Fact]
    public void Every_problem_is_reported_in_file_order()
    {
        var error = Yaml("""
            default_timeout: -1
            rules:
              - name: a
                tool: t
                effect: require_approval
                quorum: 0
              - name: b
                tool: t
                effect: nope
              - name: a
                tool: u
                effect: allow
            """);

        Assert.Equal(
            [(1, null, "default_timeout"), (6, "a", "quorum"), (9, "b", "effect"), (10, "a", "name")],
            error.Errors.Select(e => (e.Line, e.Rule, e.Field)));
        Assert.Equal(4, error.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Error_without_a_rule_name_uses_the_rule_position()
    {
        var error = Yaml("""
            rules:
              - tool: a
                effect: allow
              - tool: b
                effect: require_approval
                quorum: -1
            """);

        Assert.Equal("refund.yaml(6): rule[1] field 'quorum': must be an integer ≥ 1, got -1", error.Message);
        Assert.Equal(1, error.Errors[0].RuleIndex);
    }

    [Fact]
    public void Load_file_names_the_file_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"countersign-policy-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "rules:\n  - tool: t\n    effect: sometimes\n");
        try
        {
            var error = Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadFile(path));

            Assert.Equal(path, error.SourceName);
            Assert.StartsWith($"{path}(3): rule[0] field 'effect'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deeply_nested_yaml_is_an_error_not_a_crash()
    {
        var error = Yaml("rules: " + new string('[', 100_000));

        AssertError(error, 1, null, null, "nested more than 64 levels deep");
    }

    [Fact]
    public void Deeply_nested_json_is_an_error_not_a_crash()
    {
        var error = Json("{\"rules\": " + new string('[', 100_000));

        AssertError(error, 1, null, null, "nested more than 64 levels deep");
    }

    [Fact]
    public void Deeply_nested_block_yaml_is_an_error_not_a_crash()
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i) + "k:\n"));

        AssertError(Yaml(text), 65, null, null, "nested more than 64 levels deep");
    }

    [Fact]
    public void Json_nesting_beyond_the_limit_is_reported_like_yaml()
    {
        var error = Json("{\"rules\":\n" + new string('[', 64) + new string(']', 64) + "}");

        AssertError(error, 2, null, null, "nested more than 64 levels deep");
    }

    [Fact]
    public void Yaml_alias_inside_its_own_anchor_is_an_error_not_a_crash()
    {
        var error = Yaml("""
            rules: &loop
              - *loop
            """);

        AssertError(error, 2, null, null, "the alias '*loop' is inside the node it names");
    }

    [Fact]
    public void Yaml_aliases_nesting_beyond_the_limit_are_an_error_not_a_crash()
    {
        // Each anchor is 40 levels deep and holds the one before it: no single line is deep, the expansion is.
        var lines = Enumerable.Range(0, 300).Select(i =>
            $"d{i}: &d{i} {new string('[', 40)}{(i == 0 ? "x" : $"*d{i - 1}")}{new string(']', 40)}");

        var error = Yaml(string.Join('\n', lines));

        AssertError(error, 2, null, null, "nested more than 64 levels deep once aliases are expanded");
    }

    [Fact]
    public void Yaml_alias_bomb_is_an_error_found_quickly()
    {
        // Nine lists of nine aliases to the list before: 9^9 strings from a few hundred characters.
        var lines = Enumerable.Range(1, 8).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]");
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + string.Join('\n', lines) + "\nrules: *a8\n";

        var error = Yaml(text);

        AssertError(error, 6, null, null, "more than 100000 nodes once aliases are expanded");
    }

    [Fact]
    public void Yaml_alias_to_an_unknown_anchor_is_an_error()
    {
        AssertError(Yaml("rules: *nowhere\n"), 1, null, null, "the alias '*nowhere' names no anchor defined before it");
    }

    [Fact]
    public void Condition_on_a_field_at_any_depth_is_an_error()
    {
        var error = Yaml("""
            rules:
              - name: r
                tool: refund
                amount_over: { arg: ..amount, threshold: 100 }
                effect: require_approval
            """);

        AssertError(error, 4, "r", "amount_over", "'..amount' looks for the field at any depth (..); a condition needs one value");
    }

    [Fact]
    public void Load_error_is_a_format_exception()
    {
        Assert.IsAssignableFrom<FormatException>(Yaml("rules: 5\n"));
    }
}
