using System.Text;
using Countersign.Audit;

namespace Countersign.Tests.Stores;

public sealed class AuditEntryJsonTests
{
    private static AuditEntry EveryFieldSet() => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero),
        Kind = AuditEventKind.Outcome,
        ActionId = "act_1",
        ToolName = "refund",
        AgentId = "agent",
        SessionId = "session",
        RequestedBy = "bot",
        ArgumentsJson = "{\"amount\":5}",
        PayloadHash = "hash",
        Verdict = "require_approval",
        Mode = "enforce",
        WouldBlock = false,
        NeededApproval = true,
        Approved = false,
        ApprovalId = "apr_1",
        DecisionSource = "web",
        Actor = "alice",
        Comment = "no",
        ActorRoles = ["finance", "ops"],
        Reasons = ["r1", "r2"],
        ExecutionPath = "approved",
        Executed = false,
        ResultJson = "{\"ok\":true}",
        Error = "DENIED",
        DenialCode = "reviewer",
    };

    [Fact]
    public void Every_property_of_an_entry_is_a_field_of_the_serializer_and_round_trips()
    {
        var entry = EveryFieldSet();
        var bytes = AuditEntryJson.GetEntryBytes(entry);

        var read = AuditEntryJson.ReadEntry(bytes);

        // Records compare lists by reference, so compare the lists apart.
        Assert.Equal(entry with { Reasons = [], ActorRoles = [] }, read with { Reasons = [], ActorRoles = [] });
        Assert.Equal(entry.Reasons, read.Reasons);
        Assert.Equal(entry.ActorRoles, read.ActorRoles);
        using var document = System.Text.Json.JsonDocument.Parse(bytes);
        Assert.Equal(typeof(AuditEntry).GetProperties().Length, document.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void An_export_line_has_every_field_even_when_absent()
    {
        var minimal = new AuditEntry { Timestamp = DateTimeOffset.UnixEpoch, Kind = AuditEventKind.Reviewed, ActionId = "a", ToolName = "t" };
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream, AuditEntryJson.WriterOptions))
        {
            AuditEntryJson.WriteExport(writer, new AuditRecord(1, minimal, "k1", "prev", "mac"));
        }

        using var line = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(typeof(AuditEntry).GetProperties().Length + 4, line.RootElement.EnumerateObject().Count());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.RootElement.GetProperty("denial_code").ValueKind);
    }
}
