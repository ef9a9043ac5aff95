using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Countersign.Serialization;

namespace Countersign.Audit;

/// <summary>
/// The JSON shapes of an audit entry: the canonical form that the chain MACs, and the export line. One table of
/// fields drives writing, reading and export, so a field is added in one place and both forms name it the same way.
/// </summary>
internal static class AuditEntryJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Options shared by every audit JSON writer; the canonical form must never change its escaping.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Export order: reading order for people. The canonical form writes the same fields in ordinal name order.
    private static readonly AuditField[] ExportOrder =
    [
        new TimestampField("timestamp"),
        new KindField("kind"),
        new TextField("action_id", e => e.ActionId, (b, v) => b.ActionId = v),
        new TextField("tool", e => e.ToolName, (b, v) => b.ToolName = v),
        new TextField("agent_id", e => e.AgentId, (b, v) => b.AgentId = v),
        new TextField("session_id", e => e.SessionId, (b, v) => b.SessionId = v),
        new TextField("requested_by", e => e.RequestedBy, (b, v) => b.RequestedBy = v),
        new TextField("args", e => e.ArgumentsJson, (b, v) => b.ArgumentsJson = v, embeddedJson: true),
        new TextField("payload_hash", e => e.PayloadHash, (b, v) => b.PayloadHash = v),
        new TextField("verdict", e => e.Verdict, (b, v) => b.Verdict = v),
        new TextField("mode", e => e.Mode, (b, v) => b.Mode = v),
        new FlagField("would_block", e => e.WouldBlock, (b, v) => b.WouldBlock = v),
        new FlagField("needed_approval", e => e.NeededApproval, (b, v) => b.NeededApproval = v),
        new FlagField("approved", e => e.Approved, (b, v) => b.Approved = v),
        new TextField("approval_id", e => e.ApprovalId, (b, v) => b.ApprovalId = v),
        new TextField("decision_source", e => e.DecisionSource, (b, v) => b.DecisionSource = v),
        new TextField("actor", e => e.Actor, (b, v) => b.Actor = v),
        new TextField("decision_comment", e => e.Comment, (b, v) => b.Comment = v),
        new ListField("actor_roles", e => e.ActorRoles, (b, v) => b.ActorRoles = v),
        new ListField("reasons", e => e.Reasons, (b, v) => b.Reasons = v),
        new TextField("execution_path", e => e.ExecutionPath, (b, v) => b.ExecutionPath = v),
        new FlagField("executed", e => e.Executed, (b, v) => b.Executed = v),
        new TextField("result", e => e.ResultJson, (b, v) => b.ResultJson = v, embeddedJson: true),
        new TextField("error", e => e.Error, (b, v) => b.Error = v),
        new TextField("denial_code", e => e.DenialCode, (b, v) => b.DenialCode = v),
    ];

    private static readonly AuditField[] CanonicalOrder = [.. ExportOrder.OrderBy(f => f.Name, StringComparer.Ordinal)];

    private static readonly Dictionary<string, AuditField> ByName = ExportOrder.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>
    /// Writes the canonical object of an entry: every present field, keys in ordinal order, absent ones left out.
    /// </summary>
    /// <remarks>
    /// Leaving absent fields out (rather than writing <c>null</c>) means a field added to <see cref="AuditEntry"/> later
    /// does not change the bytes, and so the MACs, of entries written before it existed.
    /// </remarks>
    public static void WriteEntry(IBufferWriter<byte> output, AuditEntry entry)
    {
        var writer = new CanonicalJsonWriter(output);
        writer.WriteStartObject();
        foreach (var field in CanonicalOrder)
        {
            field.WriteCanonical(writer, entry);
        }

        writer.WriteEndObject();
    }

    /// <summary>Returns the canonical UTF-8 bytes of an entry, as written by <see cref="WriteEntry"/>.</summary>
    public static byte[] GetEntryBytes(AuditEntry entry)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        WriteEntry(buffer, entry);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an entry from its canonical bytes; unknown members are ignored.</summary>
    /// <exception cref="JsonException">The bytes are not an entry object.</exception>
    /// <exception cref="FormatException">A member holds a value Countersign never writes, or a required one is missing.</exception>
    public static AuditEntry ReadEntry(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var builder = new EntryBuilder();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString()!;
            Read(ref reader);
            if (ByName.TryGetValue(name, out var field))
            {
                field.Read(ref reader, json, builder);
            }
            else
            {
                reader.Skip();
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// Writes one export line: every field (absent ones as <c>null</c>, so each line has the same keys) in reading
    /// order, the arguments and result embedded as JSON when they parse, and the chain fields.
    /// </summary>
    public static void WriteExport(Utf8JsonWriter writer, AuditRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", record.Sequence);
        foreach (var field in ExportOrder)
        {
            field.WriteExport(writer, record.Entry);
        }

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
        AuditEventKind.AgentHalted => "agent_halted",
        AuditEventKind.AgentResumed => "agent_resumed",
        AuditEventKind.PresenceChanged => "presence_changed",
        AuditEventKind.ContractViolated => "contract_violated",
        AuditEventKind.BudgetOverrun => "budget_overrun",
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
            "agent_halted" => AuditEventKind.AgentHalted,
            "agent_resumed" => AuditEventKind.AgentResumed,
            "presence_changed" => AuditEventKind.PresenceChanged,
            "contract_violated" => AuditEventKind.ContractViolated,
            "budget_overrun" => AuditEventKind.BudgetOverrun,
            _ => (AuditEventKind)(-1),
        };
        return (int)kind >= 0;
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

    /// <summary>One member of the entry object: how it is written when present, exported, and read back.</summary>
    private abstract class AuditField(string name)
    {
        public string Name { get; } = name;

        protected JsonEncodedText Encoded { get; } = JsonEncodedText.Encode(name);

        public abstract void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry);

        public abstract void WriteExport(Utf8JsonWriter writer, AuditEntry entry);

        public abstract void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry);
    }

    private sealed class TextField(string name, Func<AuditEntry, string?> get, Action<EntryBuilder, string?> set, bool embeddedJson = false) : AuditField(name)
    {
        public override void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry)
        {
            if (get(entry) is not { } value)
            {
                return;
            }

            writer.WritePropertyName(Name);
            if (embeddedJson)
            {
                WriteCanonicalJson(writer, value);
            }
            else
            {
                writer.WriteString(value);
            }
        }

        public override void WriteExport(Utf8JsonWriter writer, AuditEntry entry)
        {
            var value = get(entry);
            if (value is null)
            {
                writer.WriteNull(Encoded);
            }
            else if (embeddedJson)
            {
                WriteEmbeddedJson(writer, value);
            }
            else
            {
                writer.WriteString(Encoded, value);
            }
        }

        public override void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry)
        {
            if (!embeddedJson)
            {
                set(entry, reader.GetString());
                return;
            }

            // The entry was written canonically, so the value's own bytes are its canonical text.
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            set(entry, System.Text.Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]));
        }

        private static void WriteCanonicalJson(CanonicalJsonWriter writer, string text)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                // The pipeline only records JSON here; text from elsewhere is kept, as a JSON string.
                writer.WriteString(text);
                return;
            }

            using (document)
            {
                writer.WriteValue(document.RootElement);
            }
        }

        private void WriteEmbeddedJson(Utf8JsonWriter writer, string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                writer.WritePropertyName(Encoded);
                document.RootElement.WriteTo(writer);
            }
            catch (JsonException)
            {
                // A value that is not JSON is still exported, as the text it is.
                writer.WriteString(Encoded, json);
            }
        }
    }

    private sealed class FlagField(string name, Func<AuditEntry, bool?> get, Action<EntryBuilder, bool> set) : AuditField(name)
    {
        public override void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry)
        {
            if (get(entry) is { } flag)
            {
                writer.WritePropertyName(Name);
                writer.WriteBoolean(flag);
            }
        }

        public override void WriteExport(Utf8JsonWriter writer, AuditEntry entry)
        {
            if (get(entry) is { } flag)
            {
                writer.WriteBoolean(Encoded, flag);
            }
            else
            {
                writer.WriteNull(Encoded);
            }
        }

        public override void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry) => set(entry, reader.GetBoolean());
    }

    private sealed class TimestampField(string name) : AuditField(name)
    {
        public override void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry)
        {
            writer.WritePropertyName(Name);
            writer.WriteString(Format(entry.Timestamp));
        }

        public override void WriteExport(Utf8JsonWriter writer, AuditEntry entry) => writer.WriteString(Encoded, Format(entry.Timestamp));

        // "O" of a UTC DateTime is the fixed-width form with seven fraction digits and a Z.
        private static string Format(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

        public override void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry) =>
            entry.Timestamp = new DateTimeOffset(DateTime.ParseExact(reader.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime());
    }

    private sealed class KindField(string name) : AuditField(name)
    {
        public override void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry)
        {
            writer.WritePropertyName(Name);
            writer.WriteString(KindName(entry.Kind));
        }

        public override void WriteExport(Utf8JsonWriter writer, AuditEntry entry) => writer.WriteString(Encoded, KindName(entry.Kind));

        public override void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry) =>
            entry.Kind = TryParseKind(reader.GetString() ?? string.Empty, out var parsed) ? parsed : throw new FormatException($"Unknown audit event kind '{reader.GetString()}'.");
    }

    private sealed class ListField(string name, Func<AuditEntry, IReadOnlyList<string>> get, Action<EntryBuilder, string[]> set) : AuditField(name)
    {
        public override void WriteCanonical(CanonicalJsonWriter writer, AuditEntry entry)
        {
            if (get(entry).Count == 0)
            {
                return;
            }

            writer.WritePropertyName(Name);
            writer.WriteStartArray();
            foreach (var item in get(entry))
            {
                writer.WriteString(item);
            }

            writer.WriteEndArray();
        }

        public override void WriteExport(Utf8JsonWriter writer, AuditEntry entry)
        {
            // An empty list is absent, as in the canonical form, so a verifier drops nulls and nothing else.
            if (get(entry).Count == 0)
            {
                writer.WriteNull(Encoded);
                return;
            }

            writer.WriteStartArray(Encoded);
            foreach (var item in get(entry))
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        public override void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, EntryBuilder entry)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException($"The audit entry's {Name} are not an array.");
            }

            var values = new List<string>();
            while (true)
            {
                AuditEntryJson.Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    set(entry, [.. values]);
                    return;
                }

                values.Add(reader.GetString() ?? throw new FormatException($"An item of {Name} is null."));
            }
        }
    }

    /// <summary>The fields of an entry as they are read, before the required ones are checked.</summary>
    private sealed class EntryBuilder
    {
        public DateTimeOffset? Timestamp { get; set; }

        public AuditEventKind? Kind { get; set; }

        public string? ActionId { get; set; }

        public string? ToolName { get; set; }

        public string? AgentId { get; set; }

        public string? SessionId { get; set; }

        public string? RequestedBy { get; set; }

        public string? ArgumentsJson { get; set; }

        public string? PayloadHash { get; set; }

        public string? Verdict { get; set; }

        public string? Mode { get; set; }

        public bool? WouldBlock { get; set; }

        public bool? NeededApproval { get; set; }

        public bool? Approved { get; set; }

        public string? ApprovalId { get; set; }

        public string? DecisionSource { get; set; }

        public string? Actor { get; set; }

        public string? Comment { get; set; }

        public string[] ActorRoles { get; set; } = [];

        public string[] Reasons { get; set; } = [];

        public string? ExecutionPath { get; set; }

        public bool? Executed { get; set; }

        public string? ResultJson { get; set; }

        public string? Error { get; set; }

        public string? DenialCode { get; set; }

        public AuditEntry Build() => new()
        {
            Timestamp = Timestamp ?? throw new FormatException("The entry has no timestamp."),
            Kind = Kind ?? throw new FormatException("The entry has no kind."),
            ActionId = ActionId ?? throw new FormatException("The entry has no action id."),
            ToolName = ToolName ?? throw new FormatException("The entry has no tool."),
            AgentId = AgentId,
            SessionId = SessionId,
            RequestedBy = RequestedBy,
            ArgumentsJson = ArgumentsJson,
            PayloadHash = PayloadHash,
            Verdict = Verdict,
            Mode = Mode,
            WouldBlock = WouldBlock,
            NeededApproval = NeededApproval,
            Approved = Approved,
            ApprovalId = ApprovalId,
            DecisionSource = DecisionSource,
            Actor = Actor,
            Comment = Comment,
            ActorRoles = ActorRoles,
            Reasons = Reasons,
            ExecutionPath = ExecutionPath,
            Executed = Executed,
            ResultJson = ResultJson,
            Error = Error,
            DenialCode = DenialCode,
        };
    }

}
