using System.Text;
using System.Text.Json;
using Countersign.Redaction;
using Countersign.Serialization;

namespace Countersign.Tests.Redaction;

public class JsonRedactorTests
{
    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Redact(string json, params string[] paths) => JsonRedactor.Redact(Json(json), paths);

    [Fact]
    public void Without_paths_the_output_is_the_canonical_json()
    {
        const string Text = """{"z": 1.50, "a": [true, null, "x\u00e9"], "m": {"b": 2, "a": 1e2}}""";

        Assert.Equal(CanonicalJson.ToString(Json(Text)), Redact(Text));
    }

    [Fact]
    public void Top_level_field_is_masked()
    {
        Assert.Equal("""{"body":"***","to":"ceo@example.com"}""", Redact("""{"to": "ceo@example.com", "body": "hello"}""", "body"));
    }

    [Fact]
    public void Nested_field_is_masked()
    {
        Assert.Equal(
            """{"amount":10,"card":{"expiry":"12/30","number":"***"}}""",
            Redact("""{"card": {"number": "4111111111111111", "expiry": "12/30"}, "amount": 10}""", "card.number"));
    }

    [Fact]
    public void Every_array_element_is_masked_with_a_wildcard()
    {
        Assert.Equal(
            """{"items":[{"name":"a","ssn":"***"},{"name":"b","ssn":"***"},{"name":"c"}]}""",
            Redact("""{"items": [{"name": "a", "ssn": "111"}, {"name": "b", "ssn": "222"}, {"name": "c"}]}""", "items[*].ssn"));
    }

    [Fact]
    public void One_array_element_is_masked_by_index()
    {
        Assert.Equal(
            """{"items":[{"ssn":"111"},{"ssn":"***"}]}""",
            Redact("""{"items": [{"ssn": "111"}, {"ssn": "222"}]}""", "items[1].ssn"));
    }

    [Fact]
    public void Whole_array_element_is_masked()
    {
        Assert.Equal("""{"tokens":["a","***","c"]}""", Redact("""{"tokens": ["a", "b", "c"]}""", "tokens[1]"));
    }

    [Fact]
    public void Leading_dollar_dot_is_accepted()
    {
        Assert.Equal("""{"body":"***"}""", Redact("""{"body": "x"}""", "$.body"));
    }

    [Fact]
    public void Root_array_can_be_addressed()
    {
        Assert.Equal("""[{"ssn":"***"},{"ssn":"***"}]""", Redact("""[{"ssn": "1"}, {"ssn": "2"}]""", "[*].ssn"));
        Assert.Equal("""[{"ssn":"***"},{"ssn":"2"}]""", Redact("""[{"ssn": "1"}, {"ssn": "2"}]""", "$[0].ssn"));
    }

    [Fact]
    public void Path_to_an_object_masks_all_of_it()
    {
        Assert.Equal("""{"amount":5,"card":"***"}""", Redact("""{"card": {"number": "4111", "cvc": "123"}, "amount": 5}""", "card"));
    }

    [Fact]
    public void Non_string_values_are_masked_too()
    {
        Assert.Equal("""{"a":"***","b":"***","c":"***"}""", Redact("""{"a": 42, "b": true, "c": null}""", "a", "b", "c"));
    }

    [Fact]
    public void Path_that_matches_nothing_changes_nothing()
    {
        const string Text = """{"to": "x", "nested": {"a": 1}, "list": [1, 2]}""";

        Assert.Equal(CanonicalJson.ToString(Json(Text)), Redact(Text, "body", "nested.b", "list[5]", "to.deeper", "list[*].x"));
    }

    [Fact]
    public void Field_names_match_case_sensitively()
    {
        Assert.Equal("""{"Body":"visible"}""", Redact("""{"Body": "visible"}""", "body"));
    }

    [Fact]
    public void Field_step_does_not_look_inside_arrays()
    {
        Assert.Equal("""{"items":[{"ssn":"1"}]}""", Redact("""{"items": [{"ssn": "1"}]}""", "items.ssn"));
    }

    [Fact]
    public void Any_depth_path_masks_the_field_wherever_it_is_inside_objects_and_arrays()
    {
        const string Text = """
            {"ssn": "1", "profile": {"ssn": "2", "name": "a"}, "people": [{"ssn": "3"}, {"x": [{"ssn": "4"}]}], "ssn_last4": "5"}
            """;

        Assert.Equal(
            """{"people":[{"ssn":"***"},{"x":[{"ssn":"***"}]}],"profile":{"name":"a","ssn":"***"},"ssn":"***","ssn_last4":"5"}""",
            Redact(Text, "..ssn"));
        Assert.Equal(Redact(Text, "..ssn"), Redact(Text, "$..ssn"));
    }

    [Fact]
    public void Any_depth_step_can_follow_a_field_and_be_followed_by_more_steps()
    {
        const string Text = """{"ssn": "1", "profile": {"ssn": "2", "kids": [{"ssn": "3"}]}, "card": {"number": "4"}, "old": {"card": {"number": "5"}}}""";

        Assert.Equal(
            """{"card":{"number":"4"},"old":{"card":{"number":"5"}},"profile":{"kids":[{"ssn":"***"}],"ssn":"***"},"ssn":"1"}""",
            Redact(Text, "profile..ssn"));
        Assert.Equal(
            """{"card":{"number":"***"},"old":{"card":{"number":"***"}},"profile":{"kids":[{"ssn":"3"}],"ssn":"2"},"ssn":"1"}""",
            Redact(Text, "..card.number"));
    }

    [Fact]
    public void Any_depth_path_to_an_object_masks_all_of_it()
    {
        Assert.Equal("""{"a":{"secret":"***"}}""", Redact("""{"a": {"secret": {"secret": "x", "y": 1}}}""", "..secret"));
    }

    [Fact]
    public void Overlapping_paths_mask_once()
    {
        Assert.Equal("""{"card":"***"}""", Redact("""{"card": {"number": "4111"}}""", "card.number", "card"));
    }

    [Fact]
    public void Output_is_canonical_with_sorted_keys()
    {
        Assert.Equal("""{"a":{"x":"***","y":2},"b":1}""", Redact("""{"b": 1, "a": {"y": 2.0, "x": "s"}}""", "a.x"));
    }

    [Fact]
    public void Masked_output_contains_no_byte_of_the_secrets()
    {
        string[] secrets = ["4111-1111-1111-1111", "sk_live_Zq9XwY", "078-05-1120", "hunter2!", "Ünïcödé-secret"];
        var arguments = JsonSerializer.Serialize(new
        {
            card = new { number = secrets[0], holder = "J. Doe" },
            api_key = secrets[1],
            people = new[] { new { ssn = secrets[2], name = "A" }, new { ssn = secrets[2] + "9", name = "B" } },
            auth = new { password = secrets[3] },
            notes = new[] { secrets[4] },
        });

        var masked = JsonRedactor.RedactToUtf8Bytes(Json(arguments), ["card.number", "api_key", "people[*].ssn", "auth.password", "notes[0]"]);

        foreach (var secret in secrets)
        {
            Assert.Equal(-1, masked.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }

        Assert.Contains("\"J. Doe\"", Encoding.UTF8.GetString(masked), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(masked), JsonRedactor.Redact(Json(arguments), ["card.number", "api_key", "people[*].ssn", "auth.password", "notes[0]"]));
    }

    [Fact]
    public void Escaped_names_are_matched_on_their_value()
    {
        Assert.Equal("""{"body":"***"}""", Redact("""{"b\u006fdy": "secret"}""", "body"));
    }

    [Fact]
    public void Malformed_path_is_misuse()
    {
        var error = Assert.Throws<ArgumentException>(() => Redact("{}", "a...b"));

        Assert.Contains("'a...b' is not a valid path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_with_a_member_twice_is_refused_like_canonical_json_does()
    {
        Assert.Throws<ArgumentException>(() => Redact("""{"a": 1, "a": 2}""", "b"));
    }

    [Fact]
    public void Write_appends_to_a_buffer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        JsonRedactor.Write(buffer, Json("""{"k": "v"}"""), ["k"]);

        Assert.Equal("""{"k":"***"}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("body")]
    [InlineData("card.number")]
    [InlineData("items[*].ssn")]
    [InlineData("items[0].ssn")]
    [InlineData("$.body")]
    [InlineData("$[2]")]
    [InlineData("a[0][1].b")]
    [InlineData("with space.x")]
    [InlineData("..ssn")]
    [InlineData("$..ssn")]
    [InlineData("a..b")]
    [InlineData("items[*]..ssn")]
    public void Well_formed_paths_parse(string path)
    {
        Assert.True(JsonRedactor.TryParsePath(path, out var problem), problem);
    }

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("", "must not be empty")]
    [InlineData("$", "names the whole arguments")]
    [InlineData("$body", "'$' must be followed by '.' or '['")]
    [InlineData("a...b", "'..' must be followed by a field name at position 4")]
    [InlineData("..", "'..' must be followed by a field name at position 3")]
    [InlineData("..[0]", "'..' must be followed by a field name at position 3")]
    [InlineData("a..", "ends with '..'")]
    [InlineData("a.", "ends with '.'")]
    [InlineData(".a", "a field name is missing at position 1")]
    [InlineData("items[x]", "'[x]' must be an index like [0] or [*]")]
    [InlineData("items[-1]", "'[-1]' must be an index")]
    [InlineData("items[]", "'[]' must be an index")]
    [InlineData("items[0", "is never closed")]
    [InlineData("items]", "closes no '['")]
    [InlineData("a[0]b", "expected '.' or '[' at position 5")]
    [InlineData(" body", "starts or ends with whitespace")]
    [InlineData("items[99999999999]", "must be an index")]
    public void Malformed_paths_are_explained(string? path, string expected)
    {
        Assert.False(JsonRedactor.TryParsePath(path, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
