using Countersign.Text;

namespace Countersign.Tests.Text;

public sealed class ReviewerTextTests
{
    [Fact]
    public void Plain_text_is_returned_as_it_is()
    {
        const string Text = "Refund order 42 to Zürich, 東京 or שלום 😀";

        Assert.Same(Text, ReviewerText.Neutralize(Text));
    }

    [Fact]
    public void Null_is_shown_as_nothing()
    {
        Assert.Equal(string.Empty, ReviewerText.Neutralize(null));
    }

    [Fact]
    public void Terminal_control_characters_become_visible_escapes()
    {
        var shown = ReviewerText.Neutralize("a\u001b[2Kb\u0007c\bd\u007fe\u009bf\0");

        Assert.Equal(@"a\u001B[2Kb\u0007c\u0008d\u007Fe\u009Bf\u0000", shown);
    }

    [Fact]
    public void Line_breaks_and_tabs_are_escaped_so_text_cannot_start_a_line_of_its_own()
    {
        Assert.Equal(@"a\r\nb\tc\u2028d\u2029e\u0085f", ReviewerText.Neutralize("a\r\nb\tc\u2028d\u2029e\u0085f"));
    }

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    public void Bidirectional_controls_are_escaped(char control)
    {
        Assert.Equal($"gnp.\\u{(int)control:X4}exe", ReviewerText.Neutralize($"gnp.{control}exe"));
    }

    [Theory]
    [InlineData("zero\u200Bwidth", @"zero\u200Bwidth")]
    [InlineData("join\u200Der", @"join\u200Der")]
    [InlineData("\uFEFFbom", @"\uFEFFbom")]
    [InlineData("soft\u00ADhyphen", @"soft\u00ADhyphen")]
    [InlineData("tag\U000E0041\U000E007F", @"tag\U000E0041\U000E007F")]
    public void Invisible_format_characters_are_escaped(string text, string expected)
    {
        Assert.Equal(expected, ReviewerText.Neutralize(text));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // In code, not [InlineData]: the test runner would turn a lone surrogate into U+FFFD on the way.
        Assert.Equal(@"a\uD800b\uDC00", ReviewerText.Neutralize("a\uD800b\uDC00"));
        Assert.True(ReviewerText.ContainsUnsafeCharacter("lone\uD800"));
    }

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_and_its_original_length()
    {
        var shown = ReviewerText.Neutralize(new string('x', 5000), 100);

        Assert.Equal(new string('x', 100) + "… (truncated from 5000 characters)", shown);
    }

    [Fact]
    public void Text_that_fits_only_before_escaping_is_cut_too()
    {
        Assert.Equal(@"ab\u001B… (truncated from 4 characters)", ReviewerText.Neutralize("ab\u001bc", 8));
    }

    [Fact]
    public void A_cut_never_splits_an_escape_or_a_surrogate_pair()
    {
        Assert.Equal("ab… (truncated from 3 characters)", ReviewerText.Neutralize("ab\u001b", 7));
        Assert.Equal("a… (truncated from 3 characters)", ReviewerText.Neutralize("a😀", 2));
    }

    [Fact]
    public void The_length_limit_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReviewerText.Neutralize("x", 0));
    }

    [Theory]
    [InlineData("refund", false)]
    [InlineData("delete_user.v2", false)]
    [InlineData("réfund_東京_😀", false)]
    [InlineData("", false)]
    [InlineData("bad\nname", true)]
    [InlineData("\u001b[31mrefund", true)]
    [InlineData("refund\u202Etxt.exe", true)]
    [InlineData("re\u200Bfund", true)]
    [InlineData("refund\u2066", true)]
    [InlineData("tag\U000E0041", true)]
    [InlineData("line\u2028break", true)]
    public void Unsafe_characters_are_found(string text, bool expected)
    {
        Assert.Equal(expected, ReviewerText.ContainsUnsafeCharacter(text));
    }

    [Fact]
    public void Looking_for_unsafe_characters_does_not_allocate()
    {
        const string Name = "réfund_customer_東京_😀";
        ReviewerText.ContainsUnsafeCharacter(Name);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ReviewerText.ContainsUnsafeCharacter(Name);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
