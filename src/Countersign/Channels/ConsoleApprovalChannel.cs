using System.Globalization;
using System.Text;
using System.Text.Json;
using Countersign.Approvals;
using Countersign.Text;

namespace Countersign.Channels;

/// <summary>
/// Reviews requests at the terminal: shows a boxed summary (tool, description, arguments with redacted fields masked,
/// risk, reasons) and asks <c>[y/N]</c>, defaulting to No. Without a terminal it never blocks on input; the request stays
/// pending in the store for another reviewer.
/// </summary>
/// <remarks>Everything it prints from the request passes through <see cref="ReviewerText.Neutralize"/>: control,
/// format and bidirectional characters from the agent appear as visible escapes, so a request cannot clear lines,
/// recolour the screen or print a line that looks like the channel's own.</remarks>
public sealed class ConsoleApprovalChannel : IApprovalChannel, IDisposable
{
    private const int Width = 72;
    private const int NameLength = 256;
    private const int TextLength = 2000;
    private readonly ConsoleApprovalChannelOptions _options;
    private readonly SemaphoreSlim _prompt = new(1, 1);
    private Task<string?>? _pendingRead;

    /// <summary>Creates a terminal reviewer.</summary>
    /// <param name="options">Its settings; defaults read and write the process console.</param>
    public ConsoleApprovalChannel(ConsoleApprovalChannelOptions? options = null)
    {
        _options = options ?? new ConsoleApprovalChannelOptions();
    }

    /// <inheritdoc />
    public string Name => "console";

    /// <inheritdoc />
    public async ValueTask NotifyAsync(ApprovalRequest request, ReviewRecorder reviews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviews);
        var output = _options.Output ?? Console.Out;
        var interactive = _options.IsInteractive?.Invoke() ?? IsTerminalInteractive();

        await _prompt.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(Render(request)).ConfigureAwait(false);
            if (!interactive)
            {
                await output.WriteLineAsync(
                    $"No terminal to answer at: approval {Shown(request.Id)} stays pending until a reviewer decides or it expires at {request.ExpiresAt:u}.").ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await output.WriteAsync("Approve this action? [y/N] ").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var approve = answer?.Trim().ToUpperInvariant() is "Y" or "YES";

            string? comment = null;
            if (_options.AskForComment)
            {
                await output.WriteAsync("Comment (optional): ").ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                comment = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = await reviews.DecideAsync(request.Id, _options.Reviewer, approve, comment, Name, _options.Roles, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(Describe(result, approve)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"Approval {request.Id} was resolved elsewhere or timed out; no answer needed.").ConfigureAwait(false);
            throw;
        }
        finally
        {
            _prompt.Release();
        }
    }

    /// <summary>Releases the prompt lock.</summary>
    public void Dispose() => _prompt.Dispose();

    internal static string Render(ApprovalRequest request)
    {
        var rule = new string('─', Width);
        var text = new StringBuilder();
        text.AppendLine(rule);
        text.AppendLine("  Countersign — approval required");
        text.AppendLine(rule);
        Line(text, "Tool", request.ToolName, NameLength);
        if (!string.IsNullOrWhiteSpace(request.Description))
        {
            Line(text, "About", request.Description, TextLength);
        }

        var roles = request.ReviewerRoles.Count > 0 ? "   roles " + string.Join(", ", request.ReviewerRoles.Select(Shown)) : string.Empty;
        Line(text, "Risk", $"{request.Risk.ToString().ToLowerInvariant()}   quorum {request.Quorum}{roles}", TextLength);
        if (request.RequestedBy is not null || request.AgentId is not null)
        {
            Line(text, "Asked by", string.Join(" / ", new[] { request.RequestedBy, request.AgentId }.Where(s => s is not null).Distinct(StringComparer.Ordinal).Select(Shown)), TextLength);
        }

        foreach (var reason in request.Reasons)
        {
            Line(text, "Why", reason, TextLength);
        }

        // Names are shown decoded and values as JSON text; either may hold characters a terminal acts on.
        text.AppendLine("  Args:");
        using (var document = JsonDocument.Parse(request.RedactedArgumentsJson))
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    text.Append("    ").Append(Shown(property.Name))
                        .Append(" = ").AppendLine(ReviewerText.Neutralize(property.Value.GetRawText(), TextLength));
                }
            }
            else
            {
                text.Append("    ").AppendLine(ReviewerText.Neutralize(document.RootElement.GetRawText(), TextLength));
            }
        }

        Line(text, "Request", $"{Shown(request.Id)} (action {Shown(request.ActionId)})", TextLength);
        Line(text, "Expires", request.ExpiresAt.ToString("u", CultureInfo.InvariantCulture), NameLength);
        text.AppendLine(rule);
        return text.ToString();
    }

    private static bool IsTerminalInteractive() =>
        !Console.IsInputRedirected
        || string.Equals(Environment.GetEnvironmentVariable("COUNTERSIGN_CONSOLE_INTERACTIVE"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Shown(string? name) => ReviewerText.Neutralize(name, NameLength);

    private static void Line(StringBuilder text, string label, string value, int maxLength) =>
        text.Append(CultureInfo.InvariantCulture, $"  {label + ":",-10} {ReviewerText.Neutralize(value, maxLength)}").AppendLine();

    private static string Describe(ReviewResult result, bool approve) => result.Kind switch
    {
        ReviewResultKind.Recorded when result.Request?.Status == ApprovalStatus.Pending =>
            $"Recorded your approval; waiting for {result.Request.Quorum - result.Request.Decisions.Count(d => d.Approved)} more reviewer(s).",
        ReviewResultKind.Recorded => approve ? "Approved." : "Denied.",
        ReviewResultKind.SelfApproval => "Not recorded: you requested this action, and nobody approves their own request.",
        ReviewResultKind.DuplicateReviewer => "Not recorded: you already decided on this request; a quorum needs distinct reviewers.",
        ReviewResultKind.RoleNotAllowed => "Not recorded: you hold none of the roles allowed to review this request.",
        ReviewResultKind.Expired => "Not recorded: the request expired before your answer (timeout means deny).",
        ReviewResultKind.AlreadyResolved => "Not recorded: the request was already decided.",
        _ => "Not recorded: the request no longer exists.",
    };

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        // A console read cannot be cancelled; a read abandoned by a cancelled prompt is kept and answers the next one.
        var input = _options.Input ?? Console.In;
        _pendingRead ??= Task.Run(input.ReadLine, CancellationToken.None);
        var line = await _pendingRead.WaitAsync(cancellationToken).ConfigureAwait(false);
        _pendingRead = null;
        return line;
    }
}
