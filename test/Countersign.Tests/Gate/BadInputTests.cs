using System.Text.Json;
using Countersign.Policy;

namespace Countersign.Tests.Gate;

public sealed class BadInputTests
{
    private readonly GateHarness _harness = new(ActionPolicy.AllowAll);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\nname")]
    public async Task Empty_or_control_character_tool_names_are_refused_clearly(string toolName)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Gate.ExecuteAsync(new ActionRequest { ToolName = toolName }, _ => new ValueTask<int>(1)));

        Assert.Contains("tool name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refund\u202Etxt.exe")]
    [InlineData("re\u200Bfund")]
    [InlineData("refund\u2066")]
    [InlineData("refund\U000E0041")]
    public async Task Tool_names_with_bidi_or_invisible_format_characters_are_refused(string toolName)
    {
        var ran = false;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Gate.ExecuteAsync(new ActionRequest { ToolName = toolName }, _ =>
            {
                ran = true;
                return new ValueTask<int>(1);
            }));

        Assert.False(ran);
        Assert.Contains("tool name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_tool_name_is_refused_clearly()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Gate.ExecuteAsync(new ActionRequest { ToolName = null! }, _ => new ValueTask<int>(1)));

        Assert.Contains("tool name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payload_over_the_size_limit_is_refused_with_both_sizes()
    {
        var harness = new GateHarness(ActionPolicy.AllowAll, o => o.MaxPayloadBytes = 1024);
        var ran = false;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Gate.ExecuteAsync(
            ActionRequest.Create("upload", new { blob = new string('x', 2000) }),
            _ =>
            {
                ran = true;
                return new ValueTask<int>(1);
            }));

        Assert.False(ran);
        Assert.Contains("limit is 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_size_limit_is_one_mebibyte()
    {
        var justOver = new string('x', CountersignOptions.DefaultMaxPayloadBytes);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Gate.ExecuteAsync(ActionRequest.Create("upload", new { blob = justOver }), _ => new ValueTask<int>(1)));
        Assert.Equal(1024 * 1024, CountersignOptions.DefaultMaxPayloadBytes);
    }

    [Fact]
    public void Arguments_that_do_not_serialize_get_a_clear_error()
    {
        var cyclic = new Node();
        cyclic.Next = cyclic;

        var error = Assert.Throws<ArgumentException>(() => ActionRequest.Create("link", cyclic));

        Assert.Contains("cannot be serialized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undefined_arguments_are_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Gate.ExecuteAsync(new ActionRequest { ToolName = "x", Arguments = default(JsonElement) }, _ => new ValueTask<int>(1)));

        Assert.Contains("undefined", error.Message, StringComparison.Ordinal);
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
