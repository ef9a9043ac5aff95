using System.Text.Json;
using Countersign.Audit;

namespace Countersign.Tests.Stores;

public sealed class AuditJsonlExporterTests
{
    private static readonly AuditChain Chain = new(AuditKeyRing.CreateEphemeral());

    private static AuditRecord Record(AuditEntry entry) => Chain.Link(1, entry, AuditChain.GenesisMac);

    private static AuditEntry Entry() => new()
    {
        Timestamp = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)),
        Kind = AuditEventKind.ApprovalRequested,
        ActionId = "act-1",
        ToolName = "refund",
    };

    [Fact]
    public void Every_line_has_the_same_keys_with_absent_values_as_null()
    {
        using var line = JsonDocument.Parse(AuditJsonlExporter.FormatLine(Record(Entry())));
        var root = line.RootElement;

        foreach (var name in new[] { "agent_id", "session_id", "requested_by", "args", "needed_approval", "approved", "decision_source", "decision_comment", "executed", "result", "error" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind);
        }

        Assert.Equal("approval_requested", root.GetProperty("kind").GetString());
        Assert.Equal("2026-03-02T08:00:00.0000000Z", root.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Arguments_that_are_not_json_are_exported_as_text()
    {
        using var line = JsonDocument.Parse(AuditJsonlExporter.FormatLine(Record(Entry() with { ArgumentsJson = "not json {", ResultJson = "[1,2]" })));

        Assert.Equal("not json {", line.RootElement.GetProperty("args").GetString());
        Assert.Equal(2, line.RootElement.GetProperty("result").GetArrayLength());
    }

    [Fact]
    public void A_line_holds_no_line_break_even_when_a_field_does()
    {
        var text = AuditJsonlExporter.FormatLine(Record(Entry() with { Comment = "line one\nline two" }));

        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public async Task Export_of_a_null_log_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await AuditJsonlExporter.ExportAsync(null!, Stream.Null));
    }
}
