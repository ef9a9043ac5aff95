using System.Buffers;
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
    [ThreadStatic]
    private static WriterCache? t_cache;

    /// <summary>Options shared by every audit JSON writer; the canonical form must never change its escaping.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the canonical object of an entry: every present field, keys in ordinal order, absent ones left out.
    /// </summary>
    /// <remarks>
    /// Leaving absent fields out (rather than writing <c>null</c>) means a field added to <see cref="AuditEntry"/> later
    /// does not change the bytes, and so the MACs, of entries written before it existed.
    /// </remarks>
    public static void WriteEntry(Utf8JsonWriter writer, AuditEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString(Names.ActionId, entry.ActionId);
        WriteIfPresent(writer, Names.Actor, entry.Actor);
        WriteIfPresent(writer, Names.AgentId, entry.AgentId);
        WriteIfPresent(writer, Names.ApprovalId, entry.ApprovalId);
        WriteIfPresent(writer, Names.Approved, entry.Approved);
        WriteIfPresent(writer, Names.Args, entry.ArgumentsJson);
        WriteIfPresent(writer, Names.DecisionComment, entry.Comment);
        WriteIfPresent(writer, Names.DecisionSource, entry.DecisionSource);
        WriteIfPresent(writer, Names.DenialCode, entry.DenialCode);
        WriteIfPresent(writer, Names.Error, entry.Error);
        WriteIfPresent(writer, Names.Executed, entry.Executed);
        WriteIfPresent(writer, Names.ExecutionPath, entry.ExecutionPath);
        writer.WriteString(Names.Kind, KindName(entry.Kind));
        WriteIfPresent(writer, Names.Mode, entry.Mode);
        WriteIfPresent(writer, Names.NeededApproval, entry.NeededApproval);
        WriteIfPresent(writer, Names.PayloadHash, entry.PayloadHash);
        if (entry.Reasons.Count > 0)
        {
            WriteReasons(writer, entry.Reasons);
        }

        WriteIfPresent(writer, Names.RequestedBy, entry.RequestedBy);
        WriteIfPresent(writer, Names.Result, entry.ResultJson);
        WriteIfPresent(writer, Names.SessionId, entry.SessionId);
        WriteTimestamp(writer, entry.Timestamp);
        writer.WriteString(Names.Tool, entry.ToolName);
        WriteIfPresent(writer, Names.Verdict, entry.Verdict);
        WriteIfPresent(writer, Names.WouldBlock, entry.WouldBlock);
        writer.WriteEndObject();
    }

    /// <summary>Returns the canonical UTF-8 bytes of an entry, as written by <see cref="WriteEntry"/>.</summary>
    public static byte[] GetEntryBytes(AuditEntry entry)
    {
        var cache = t_cache ??= new WriterCache();
        cache.Buffer.ResetWrittenCount();
        cache.Writer.Reset(cache.Buffer);
        WriteEntry(cache.Writer, entry);
        cache.Writer.Flush();
        return cache.Buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an entry from its canonical bytes; unknown members are ignored.</summary>
    /// <exception cref="JsonException">The bytes are not an entry object.</exception>
    /// <exception cref="FormatException">A member holds a value Countersign never writes.</exception>
    public static AuditEntry ReadEntry(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? timestamp = null;
        AuditEventKind? kind = null;
        string? actionId = null, tool = null, agentId = null, sessionId = null, requestedBy = null, args = null, payloadHash = null;
        string? verdict = null, mode = null, approvalId = null, decisionSource = null, actor = null, comment = null;
        string? executionPath = null, result = null, error = null, denialCode = null;
        bool? wouldBlock = null, neededApproval = null, approved = null, executed = null;
        string[] reasons = [];
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString();
            Read(ref reader);
            switch (name)
            {
                case "action_id": actionId = reader.GetString(); break;
                case "actor": actor = reader.GetString(); break;
                case "agent_id": agentId = reader.GetString(); break;
                case "approval_id": approvalId = reader.GetString(); break;
                case "approved": approved = reader.GetBoolean(); break;
                case "args": args = reader.GetString(); break;
                case "decision_comment": comment = reader.GetString(); break;
                case "decision_source": decisionSource = reader.GetString(); break;
                case "denial_code": denialCode = reader.GetString(); break;
                case "error": error = reader.GetString(); break;
                case "executed": executed = reader.GetBoolean(); break;
                case "execution_path": executionPath = reader.GetString(); break;
                case "kind":
                    kind = TryParseKind(reader.GetString() ?? string.Empty, out var parsed) ? parsed : throw new FormatException($"Unknown audit event kind '{reader.GetString()}'.");
                    break;
                case "mode": mode = reader.GetString(); break;
                case "needed_approval": neededApproval = reader.GetBoolean(); break;
                case "payload_hash": payloadHash = reader.GetString(); break;
                case "reasons": reasons = ReadStrings(ref reader); break;
                case "requested_by": requestedBy = reader.GetString(); break;
                case "result": result = reader.GetString(); break;
                case "session_id": sessionId = reader.GetString(); break;
                case "timestamp":
                    timestamp = new DateTimeOffset(DateTime.ParseExact(reader.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime());
                    break;
                case "tool": tool = reader.GetString(); break;
                case "verdict": verdict = reader.GetString(); break;
                case "would_block": wouldBlock = reader.GetBoolean(); break;
                default: reader.Skip(); break;
            }
        }

        return new AuditEntry
        {
            Timestamp = timestamp ?? throw new FormatException("The entry has no timestamp."),
            Kind = kind ?? throw new FormatException("The entry has no kind."),
            ActionId = actionId ?? throw new FormatException("The entry has no action id."),
            ToolName = tool ?? throw new FormatException("The entry has no tool."),
            AgentId = agentId,
            SessionId = sessionId,
            RequestedBy = requestedBy,
            ArgumentsJson = args,
            PayloadHash = payloadHash,
            Verdict = verdict,
            Mode = mode,
            WouldBlock = wouldBlock,
            NeededApproval = neededApproval,
            Approved = approved,
            ApprovalId = approvalId,
            DecisionSource = decisionSource,
            Actor = actor,
            Comment = comment,
            Reasons = reasons,
            ExecutionPath = executionPath,
            Executed = executed,
            ResultJson = result,
            Error = error,
            DenialCode = denialCode,
        };
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
        WriteTimestamp(writer, entry.Timestamp);
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
        WriteOrNull(writer, "denial_code", entry.DenialCode);
        writer.WriteString("key_id", record.KeyId);
        writer.WriteString("prev_mac", record.PreviousMac);
        writer.WriteString("mac", record.Mac);
        writer.WriteEndObject();
    }

    /// <summary>The stable name of an event kind, independent of the enum's member names.</summary>
    public static string KindName(AuditEventKind kind) => kind switch
    {
        AuditEventKind.ApprovalRequested => "approval_requested",
        AuditEventKind.Reviewed => "reviewed",
        AuditEventKind.ApprovalExpired => "approval_expired",
        AuditEventKind.Authorized => "authorized",
        AuditEventKind.Outcome => "outcome",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audit event kind."),
    };

    /// <summary>Parses a name written by <see cref="KindName"/>.</summary>
    public static bool TryParseKind(string name, out AuditEventKind kind)
    {
        kind = name switch
        {
            "approval_requested" => AuditEventKind.ApprovalRequested,
            "reviewed" => AuditEventKind.Reviewed,
            "approval_expired" => AuditEventKind.ApprovalExpired,
            "authorized" => AuditEventKind.Authorized,
            "outcome" => AuditEventKind.Outcome,
            _ => (AuditEventKind)(-1),
        };
        return (int)kind >= 0;
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset timestamp)
    {
        // "O" of a UTC DateTime is the fixed-width form with seven fraction digits and a Z, and is the fast path.
        Span<char> text = stackalloc char[40];
        timestamp.UtcDateTime.TryFormat(text, out var written, "O", CultureInfo.InvariantCulture);
        writer.WriteString(Names.Timestamp, text[..written]);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Read(ref reader);
        if (reader.TokenType != type)
        {
            throw new FormatException($"Expected {type} in an audit entry, found {reader.TokenType}.");
        }
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("The audit entry's JSON ends early.");
        }
    }

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("The audit entry's reasons are not an array.");
        }

        var values = new List<string>();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return [.. values];
            }

            values.Add(reader.GetString() ?? throw new FormatException("A reason is null."));
        }
    }

    private static void WriteReasons(Utf8JsonWriter writer, IReadOnlyList<string> reasons)
    {
        writer.WriteStartArray(Names.Reasons);
        foreach (var reason in reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, JsonEncodedText name, bool? value)
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

    private sealed class WriterCache
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(512);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null, WriterOptions);
    }

    /// <summary>The member names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText ActionId = JsonEncodedText.Encode("action_id");
        public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("actor");
        public static readonly JsonEncodedText AgentId = JsonEncodedText.Encode("agent_id");
        public static readonly JsonEncodedText ApprovalId = JsonEncodedText.Encode("approval_id");
        public static readonly JsonEncodedText Approved = JsonEncodedText.Encode("approved");
        public static readonly JsonEncodedText Args = JsonEncodedText.Encode("args");
        public static readonly JsonEncodedText DecisionComment = JsonEncodedText.Encode("decision_comment");
        public static readonly JsonEncodedText DecisionSource = JsonEncodedText.Encode("decision_source");
        public static readonly JsonEncodedText DenialCode = JsonEncodedText.Encode("denial_code");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Executed = JsonEncodedText.Encode("executed");
        public static readonly JsonEncodedText ExecutionPath = JsonEncodedText.Encode("execution_path");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Mode = JsonEncodedText.Encode("mode");
        public static readonly JsonEncodedText NeededApproval = JsonEncodedText.Encode("needed_approval");
        public static readonly JsonEncodedText PayloadHash = JsonEncodedText.Encode("payload_hash");
        public static readonly JsonEncodedText Reasons = JsonEncodedText.Encode("reasons");
        public static readonly JsonEncodedText RequestedBy = JsonEncodedText.Encode("requested_by");
        public static readonly JsonEncodedText Result = JsonEncodedText.Encode("result");
        public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("session_id");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText Tool = JsonEncodedText.Encode("tool");
        public static readonly JsonEncodedText Verdict = JsonEncodedText.Encode("verdict");
        public static readonly JsonEncodedText WouldBlock = JsonEncodedText.Encode("would_block");
    }
}
