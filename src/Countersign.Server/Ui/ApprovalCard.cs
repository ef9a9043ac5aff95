using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Text;

namespace Countersign.Server.Ui;

/// <summary>
/// An approval as a reviewer sees it: every piece of text the agent or a reviewer supplied is neutralised
/// (<see cref="ReviewerText"/>) and bounded here, and Razor HTML-encodes it when the page is written.
/// </summary>
internal sealed record ApprovalCard
{
    private const int MaxArgumentLines = 200;
    private const int MaxLineLength = 500;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public required string Id { get; init; }

    public required string ActionId { get; init; }

    public required string Tool { get; init; }

    public required string Description { get; init; }

    public required string Arguments { get; init; }

    public required RiskLevel Risk { get; init; }

    public required IReadOnlyList<string> Reasons { get; init; }

    public required string Requester { get; init; }

    public required string Agent { get; init; }

    public required ApprovalStatus Status { get; init; }

    public required int Quorum { get; init; }

    public required int Approvals { get; init; }

    public required string ReviewerRoles { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required IReadOnlyList<ReviewLine> Decisions { get; init; }

    public string RiskName => Risk.ToString().ToLowerInvariant();

    public string StatusName => StatusText(Status);

    public static ApprovalCard From(ApprovalRequest approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return new ApprovalCard
        {
            Id = approval.Id,
            ActionId = Short(approval.ActionId),
            Tool = ReviewerText.Neutralize(approval.ToolName, 256),
            Description = ReviewerText.Neutralize(approval.Description),
            Arguments = FormatArguments(approval.RedactedArgumentsJson),
            Risk = approval.Risk,
            Reasons = [.. approval.Reasons.Take(20).Select(static r => ReviewerText.Neutralize(r, MaxLineLength))],
            Requester = Short(approval.RequestedBy),
            Agent = Short(approval.AgentId),
            Status = approval.Status,
            Quorum = approval.Quorum,
            Approvals = approval.Decisions.Count(static d => d.Approved),
            ReviewerRoles = approval.ReviewerRoles.Count == 0 ? "any" : Short(string.Join(", ", approval.ReviewerRoles)),
            CreatedAt = approval.CreatedAt,
            ExpiresAt = approval.ExpiresAt,
            Decisions = [.. approval.Decisions.Select(static d => new ReviewLine(
                Short(d.Reviewer), d.Approved, ReviewerText.Neutralize(d.Comment), d.DecidedAt, Short(d.Source)))],
        };
    }

    /// <summary>Names a status as the UI, the feed and the audit log show it.</summary>
    public static string StatusText(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Granted => "granted",
        ApprovalStatus.Denied => "denied",
        ApprovalStatus.Expired => "expired",
        _ => "consumed",
    };

    /// <summary>Writes a time for a page: machine-readable, for the script's ages and countdowns.</summary>
    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes a time for people.</summary>
    public static string Display(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Short(string? text) => string.IsNullOrEmpty(text) ? "—" : ReviewerText.Neutralize(text, 200);

    // Indented JSON keeps structure readable; each line is then neutralised, so a value cannot break the layout.
    private static string FormatArguments(string json)
    {
        string text;
        try
        {
            using var document = JsonDocument.Parse(json);
            text = JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            text = json;
        }

        var lines = text.Split('\n');
        var shown = lines.Take(MaxArgumentLines).Select(static line => ReviewerText.Neutralize(line.TrimEnd('\r'), MaxLineLength));
        var result = string.Join('\n', shown);
        return lines.Length > MaxArgumentLines
            ? result + string.Create(CultureInfo.InvariantCulture, $"\n… ({lines.Length - MaxArgumentLines} more lines)")
            : result;
    }
}

/// <summary>One reviewer's decision on an approval, as shown.</summary>
internal sealed record ReviewLine(string Reviewer, bool Approved, string Comment, DateTimeOffset DecidedAt, string Source);
