using System.Text.Json;
using Countersign.Policy.Loading;

namespace Countersign.Tests.Policy;

/// <summary>
/// Keeps docs/policy.schema.json and the loader describing the same format. No JSON Schema 2020-12 validator is
/// available to the build, so these tests compare the schema's vocabulary with the loader's instead.
/// </summary>
public class PolicySchemaTests
{
    private static readonly JsonElement Schema = Calls.Json(File.ReadAllText(RepositoryFiles.PathOf("docs/policy.schema.json")));

    private static JsonElement Definition(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static string[] PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Enum(JsonElement schema) =>
        [.. schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Schema_is_draft_2020_12_and_closed()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
        Assert.False(Definition("rule").GetProperty("additionalProperties").GetBoolean());
        Assert.False(Definition("rule").GetProperty("properties").GetProperty("amount_over").GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schema_top_level_fields_are_the_loader_fields()
    {
        Assert.Equal(PolicyDocumentReader.PolicyFields.Order(StringComparer.Ordinal), PropertyNames(Schema));
    }

    [Fact]
    public void Schema_rule_fields_are_the_loader_fields()
    {
        Assert.Equal(PolicyDocumentReader.RuleFields.Order(StringComparer.Ordinal), PropertyNames(Definition("rule")));
        Assert.Equal(
            PolicyDocumentReader.AmountOverFields.Order(StringComparer.Ordinal),
            PropertyNames(Definition("rule").GetProperty("properties").GetProperty("amount_over")));
    }

    [Fact]
    public void Schema_enumerations_are_the_values_the_loader_accepts()
    {
        Assert.Equal(["allow", "deny", "require_approval"], Enum(Definition("effect")));
        Assert.Equal(["critical", "high", "low", "medium"], Enum(Definition("rule").GetProperty("properties").GetProperty("risk_level")));
        foreach (var effect in Enum(Definition("effect")))
        {
            Assert.NotNull(Countersign.Policy.PolicyLoader.LoadYaml($"default_effect: {effect}\n"));
        }
    }

    [Theory]
    [InlineData("body", true)]
    [InlineData("card.number", true)]
    [InlineData("items[*].ssn", true)]
    [InlineData("items[0].ssn", true)]
    [InlineData("$.body", true)]
    [InlineData("$[0].x", true)]
    [InlineData("[*].ssn", true)]
    [InlineData("a.$b", true)]
    [InlineData("", false)]
    [InlineData("$", false)]
    [InlineData("$body", false)]
    [InlineData("a..b", true)]
    [InlineData("..ssn", true)]
    [InlineData("$..ssn", true)]
    [InlineData("items[*]..ssn", true)]
    [InlineData("a...b", false)]
    [InlineData("..", false)]
    [InlineData("a..", false)]
    [InlineData("..[0]", false)]
    [InlineData("a.", false)]
    [InlineData(".a", false)]
    [InlineData("items[x]", false)]
    [InlineData("items[", false)]
    [InlineData("items]", false)]
    [InlineData("a[0]b", false)]
    [InlineData(" a", false)]
    [InlineData("a ", false)]
    public void Schema_path_pattern_agrees_with_the_path_parser(string path, bool valid)
    {
        var pattern = new System.Text.RegularExpressions.Regex(Definition("path").GetProperty("pattern").GetString()!);

        Assert.Equal(valid, Countersign.Redaction.JsonRedactor.TryParsePath(path, out _));
        Assert.Equal(valid, pattern.IsMatch(path));
    }

    [Theory]
    [InlineData("90s", true)]
    [InlineData("1.5h", true)]
    [InlineData("500ms", true)]
    [InlineData("2d", true)]
    [InlineData("5 m", false)]
    [InlineData("5min", false)]
    [InlineData("-5s", false)]
    [InlineData("soon", false)]
    public void Schema_duration_pattern_agrees_with_the_loader(string duration, bool valid)
    {
        var pattern = Definition("duration").GetProperty("oneOf")[1].GetProperty("pattern").GetString()!;
        var loads = true;
        try
        {
            Countersign.Policy.PolicyLoader.LoadYaml($"default_timeout: \"{duration}\"\n");
        }
        catch (Countersign.Policy.PolicyLoadException)
        {
            loads = false;
        }

        Assert.Equal(valid, loads);
        Assert.Equal(valid, System.Text.RegularExpressions.Regex.IsMatch(duration, pattern));
    }
}
