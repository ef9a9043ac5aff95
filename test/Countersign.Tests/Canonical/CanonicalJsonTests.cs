using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Countersign.Serialization;

namespace Countersign.Tests.Canonical;

/// <summary>
/// The canonical form is RFC 8785's, so that anyone can recompute payload hashes and audit MACs: the RFC's own
/// examples, the ECMAScript number forms it lists, and the stricter rule Countersign adds for numbers.
/// </summary>
public sealed class CanonicalJsonTests
{
    [Fact]
    public void The_RFC_sample_object_is_written_as_the_RFC_shows()
    {
        // RFC 8785 section 3.2.2 (input) and 3.2.3 (output); its numbers are rounded to doubles, as the RFC does.
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27]," +
            "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Assert.Equal(expected, Canonical(input, exactNumbers: false));
    }

    [Fact]
    public void Members_are_sorted_by_UTF16_code_units_as_in_the_RFC_sorting_example()
    {
        // RFC 8785 section 3.2.3: code units, not code points, so U+1F600 (a surrogate pair) sorts before U+FB33.
        const string input = """
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}
            """;

        var keys = JsonDocument.Parse(Canonical(input)).RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"], keys);
    }

    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Doubles_are_written_as_ECMAScript_prints_them(string ieeeHex, string expected)
    {
        // RFC 8785 appendix B: the IEEE 754 bit pattern and the text every implementation must produce for it.
        var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(ieeeHex)));

        Assert.Equal(expected, Canonical(value.ToString("R", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("4.50", "4.5")]
    [InlineData("1E2", "100")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e21", "1e+21")]
    [InlineData("123456789012345680000", "123456789012345680000")]
    [InlineData("9007199254740993e0", null)]
    public void Numbers_whose_text_is_the_double_they_denote_are_accepted(string json, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<ArgumentException>(() => Canonical(json));
            return;
        }

        Assert.Equal(expected, Canonical(json));
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890")]
    [InlineData("0.10000000000000001")]
    [InlineData("333333333.33333329")]
    [InlineData("1e400")]
    [InlineData("1e-400")]
    [InlineData("1e999999999999999999999")]
    public void Numbers_a_double_cannot_carry_exactly_are_refused_with_a_clear_message(string json)
    {
        // Rounding would make two different payloads hash alike and put a number into the audit that nobody sent.
        var error = Assert.Throws<ArgumentException>(() => Canonical(json));

        Assert.Contains("pass it as a string", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\u0000\\u001f\\u007f\"", "\"\\u0000\\u001f\u007f\"")]
    [InlineData("\"\\b\\t\\n\\f\\r\"", "\"\\b\\t\\n\\f\\r\"")]
    [InlineData("\"\\u2028 <script> & '\"", "\"\u2028 <script> & '\"")]
    [InlineData("\"\\/\"", "\"/\"")]
    [InlineData("\"\\u00e9\\ud83d\\ude00\"", "\"é😀\"")]
    public void Strings_are_escaped_only_where_the_RFC_requires(string json, string expected) =>
        Assert.Equal(expected, Canonical(json));

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Canonical("\"\\ud800\""));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Quote("\udc00"));
    }

    [Fact]
    public void A_member_given_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Canonical("""{"a": 1, "a": 2}"""));

        Assert.Contains("'a' twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_values_are_canonical_at_every_depth()
    {
        Assert.Equal(
            """{"a":[{"x":1,"y":[true,null,"z"]}],"b":{},"c":[]}""",
            Canonical("""{ "c": [ ], "b": { }, "a": [ { "y": [true, null, "z"], "x": 1.0 } ] }"""));
    }

    private static string Canonical(string json, bool exactNumbers = true)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        new CanonicalJsonWriter(buffer, exactNumbers).WriteValue(document.RootElement);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
