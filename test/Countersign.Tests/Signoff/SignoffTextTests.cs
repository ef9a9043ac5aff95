using System.Text;
using Countersign.Signoff;

namespace Countersign.Tests.Signoff;

public sealed class SignoffTextTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData(" a b\tc\r\n", 3)]
    [InlineData("\v\fa\u0001~", 3)]
    [InlineData("a\u00A0b\u2003c\u3000", 3)]
    [InlineData("a\u200Bb\u200Cc\u200D\u2060\uFEFF\u180E", 3)]
    [InlineData("déjà vu", 6)]
    [InlineData("ship 🚀", 5)]
    [InlineData("abc\0def", 0)]
    public void Counts_characters_that_are_not_whitespace(string? text, int expected)
    {
        Assert.Equal(expected, SignoffText.CountSignificant(text));
    }

    [Fact]
    public void Whitespace_set_holds_every_character_dotnet_calls_whitespace()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsWhiteSpace((char)c))
            {
                Assert.Contains(c, SignoffText.WhitespaceCodePoints);
            }
        }
    }

    [Fact]
    public void Whitespace_test_agrees_with_the_published_list_for_every_code_unit()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                Assert.Equal(SignoffText.WhitespaceCodePoints.Contains(c), SignoffText.IsWhitespace(new Rune(c)));
            }
        }

        Assert.False(SignoffText.IsWhitespace(new Rune(0x1F680)));
    }

    [Fact]
    public void Lone_surrogate_counts_as_one_character()
    {
        Assert.Equal(1, SignoffText.CountSignificant("\uD800"));
        Assert.Equal(2, SignoffText.CountSignificant("\uDC00\uD800"));
        Assert.Equal(2, SignoffText.CountSignificant("a\uD83D"));
        Assert.True(SignoffText.IsWhitespace(new Rune(0x2028)));
        Assert.False(SignoffText.IsWhitespace(new Rune('x')));
    }
}
