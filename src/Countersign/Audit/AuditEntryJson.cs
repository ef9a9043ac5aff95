using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Countersign.Audit;

/// <summary>
/// The JSON shapes of an audit entry: the canonical form that the chain MACs, and the export line. Both use the same
/// snake_case names, so a line of an export names exactly the fields its MAC covers.
/// </summary>
internal static class AuditEntryJson
{
    /// <summary>Options shared by every audit JSON writer; the canonical form must never change its escaping.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the canonical object: every present field, keys in ordinal order, absent ones left out.</summary>
    /// <remarks>
    /// Leaving absent fields out (rather than writing <c>null</c>) means a field added to <see cref="AuditEntry"/> later
    /// does not change the bytes, and so the MACs, of entries written before it existed.
    /// </remarks>
    public static void WriteCanonical(Utf8JsonWriter writer, long sequence, string keyId, AuditEntry entry)
    {
        writer.WriteStartObject();
        WriteIfPresent(writer, "action_id", entry.ActionId);
        WriteIfPresent(writer, "actor", entry.Actor);
        WriteIfPresent(writer, "agent_id", entry.AgentId);
        WriteIfPresent(writer, "approval_id", entry.ApprovalId);
        WriteIfPresent(writer, "approved", entry.Approved);
        WriteIfPresent(writer, "args", entry.ArgumentsJson);
        WriteIfPresent(writer, "decision_comment", entry.Comment);
        WriteIfPresent(writer, "decision_source", entry.DecisionSource);
        WriteIfPresent(writer, "error", entry.Error);
        WriteIfPresent(writer, "executed", entry.Executed);
        WriteIfPresent(writer, "execution_path", entry.ExecutionPath);
        writer.WriteString("key_id", keyId);
        writer.WriteString("kind", KindName(entry.Kind));
        WriteIfPresent(writer, "mode", entry.Mode);
        WriteIfPresent(writer, "needed_approval", entry.NeededApproval);
        WriteIfPresent(writer, "payload_hash", entry.PayloadHash);
        if (entry.Reasons.Count > 0)
        {
            WriteReasons(writer, entry.Reasons);
        }

        WriteIfPresent(writer, "requested_by", entry.RequestedBy);
        WriteIfPresent(writer, "result", entry.ResultJson);
        writer.WriteNumber("sequence", sequence);
        WriteIfPresent(writer, "session_id", entry.SessionId);
        writer.WriteString("timestamp", FormatTimestamp(entry.Timestamp));
        writer.WriteString("tool", entry.ToolName);
        WriteIfPresent(writer, "verdict", entry.Verdict);
        WriteIfPresent(writer, "would_block", entry.WouldBlock);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes one export line: every field (absent ones as <c>null</c>, so each line has the same keys) in reading
    /// order, the arguments and result embedded as JSON when they parse, and the chain fields.
    /// </summary>
    public static void WriteExport(Utf8JsonWriter writer, AuditRecord record)
    {
        var entry = record.Entry;
        writer.WriteStartObject();
        writer.WriteNumber("sequence", record.Sequence);
        writer.WriteString("timestamp", FormatTimestamp(entry.Timestamp));
        writer.WriteString("kind", KindName(entry.Kind));
        writer.WriteString("action_id", entry.ActionId);
        writer.WriteString("tool", entry.ToolName);
        WriteOrNull(writer, "agent_id", entry.AgentId);
        WriteOrNull(writer, "session_id", entry.SessionId);
        WriteOrNull(writer, "requested_by", entry.RequestedBy);
        WriteEmbeddedJson(writer, "args", entry.ArgumentsJson);
        WriteOrNull(writer, "payload_hash", entry.PayloadHash);
        WriteOrNull(writer, "verdict", entry.Verdict);
        WriteOrNull(writer, "mode", entry.Mode);
        WriteOrNull(writer, "would_block", entry.WouldBlock);
        WriteOrNull(writer, "needed_approval", entry.NeededApproval);
        WriteOrNull(writer, "approved", entry.Approved);
        WriteOrNull(writer, "approval_id", entry.ApprovalId);
        WriteOrNull(writer, "decision_source", entry.DecisionSource);
        WriteOrNull(writer, "actor", entry.Actor);
        WriteOrNull(writer, "decision_comment", entry.Comment);
        WriteReasons(writer, entry.Reasons);
        WriteOrNull(writer, "execution_path", entry.ExecutionPath);
        WriteOrNull(writer, "executed", entry.Executed);
        WriteEmbeddedJson(writer, "result", entry.ResultJson);
        WriteOrNull(writer, "error", entry.Error);
        writer.WriteString("key_id", record.KeyId);
        writer.WriteString("prev_mac", record.PreviousMac);
        writer.WriteString("mac", record.Mac);
        writer.WriteEndObject();
    }

    /// <summary>Formats a timestamp as UTC with seven fraction digits, so any offset gives the same text.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stable name of an event kind, independent of the enum's member names.</summary>
    public static string KindName(AuditEventKind kind) => kind switch
    {
        AuditEventKind.Requested => "requested",
        AuditEventKind.Verdict => "verdict",
        AuditEventKind.ApprovalRequested => "approval_requested",
        AuditEventKind.Decided => "decided",
        AuditEventKind.Executed => "executed",
        AuditEventKind.Outcome => "outcome",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audit event kind."),
    };

    /// <summary>Parses a name written by <see cref="KindName"/>.</summary>
    public static bool TryParseKind(string name, out AuditEventKind kind)
    {
        kind = name switch
        {
            "requested" => AuditEventKind.Requested,
            "verdict" => AuditEventKind.Verdict,
            "approval_requested" => AuditEventKind.ApprovalRequested,
            "decided" => AuditEventKind.Decided,
            "executed" => AuditEventKind.Executed,
            "outcome" => AuditEventKind.Outcome,
            _ => (AuditEventKind)(-1),
        };
        return (int)kind >= 0;
    }

    private static void WriteReasons(Utf8JsonWriter writer, IReadOnlyList<string> reasons)
    {
        writer.WriteStartArray("reasons");
        foreach (var reason in reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteEmbeddedJson(Utf8JsonWriter writer, string name, string? json)
    {
        if (json is null)
        {
            writer.WriteNull(name);
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            writer.WritePropertyName(name);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            // A value that is not JSON is still exported, as the text it is.
            writer.WriteString(name, json);
        }
    }
}
